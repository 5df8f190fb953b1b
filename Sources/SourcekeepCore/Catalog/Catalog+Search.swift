import Foundation
import GRDB

/// One archived article found by `sourcekeep search`.
public struct SearchHit: Sendable {
  public var url: String
  public var title: String?
  /// The page's own publisher (site name, WeChat account) or, when it has none, the one the
  /// digest's citation names.
  public var publisher: String?
  /// The publishers the digests name for this link (`[量子位](…)`), in citation order.
  public var citedPublishers: [String]
  public var digestDates: [String]
  public var capturedAt: String
  public var snippet: String
  /// The link's state now (`alive`, `dead`, …).
  public var state: String
  public var linkID: Int64
}

/// A search query: words that must all appear, in any order, and `"quoted phrases"` that must
/// appear as written (docs/design.md#search).
public struct SearchQuery: Sendable, Equatable {
  public var terms: [String]

  public init(_ text: String) {
    var terms: [String] = []
    var current = ""
    var inQuote = false
    for character in text {
      if character == "\"" || character == "“" || character == "”" {
        if inQuote {
          if !current.isEmpty { terms.append(current) }
          current = ""
        } else if !current.trimmingCharacters(in: .whitespaces).isEmpty {
          terms.append(current.trimmingCharacters(in: .whitespaces))
          current = ""
        }
        inQuote.toggle()
      } else if !inQuote && character.isWhitespace {
        if !current.isEmpty { terms.append(current) }
        current = ""
      } else {
        current.append(character)
      }
    }
    let last = current.trimmingCharacters(in: .whitespaces)
    if !last.isEmpty { terms.append(last) }
    var seen = Set<String>()
    self.terms = terms.filter { !$0.isEmpty && seen.insert($0).inserted }
  }

  /// The term the trigram index is asked for: the longest (most selective) one.
  var indexTerm: String? { terms.filter { $0.unicodeScalars.count >= 3 }.max { $0.count < $1.count } }
}

extension Catalog {
  /// Finds archived articles whose title, publisher (the page's or the one a digest cites),
  /// or text holds every term of `query` (`SearchQuery`: words in any order, quoted phrases
  /// as written).
  ///
  /// The trigram index answers terms of three characters or more (any substring, which
  /// Chinese needs: no spaces between words), best match first; its candidates are checked
  /// against every term, and so are the texts still queued for the index. It keeps no copy of
  /// the text (contentless), so the snippet comes from the compressed body. When every term is shorter (千问) there is no trigram to look up: the
  /// titles, publishers and bodies are scanned in capture order. Links whose cited publisher
  /// matches a term are candidates too (the index does not hold digest publishers).
  public func search(_ text: String, limit: Int = 50) throws(CatalogError) -> [SearchHit] {
    let query = SearchQuery(text)
    guard !query.terms.isEmpty, limit > 0 else { return [] }
    return try read { db in
      var found: [(Int64, String?)] = []
      var seen = Set<Int64>()
      func consider(_ ids: some Sequence<Int64>) throws {
        for id in ids where found.count < limit && !seen.contains(id) {
          seen.insert(id)
          if let snippet = try Catalog.matches(db, snapshot: id, query) { found.append((id, snippet)) }
        }
      }
      try consider(Catalog.citedPublisherCandidates(db, query))
      if let term = query.indexTerm {
        let cursor = try Int64.fetchCursor(
          db, sql: "SELECT rowid FROM snapshot_fts WHERE snapshot_fts MATCH ? ORDER BY rank",
          arguments: [Catalog.trigramQuery(term)])
        try consider(AnySequence { AnyIterator { try? cursor.next() } })
        // Texts committed but not yet indexed (Catalog+TextIndex.swift): checked directly.
        try consider(Catalog.queuedTextIDs(db))
      } else {
        // A cursor holds one blob at a time: the scan's memory does not grow with the archive.
        let rows = try Row.fetchCursor(
          db,
          sql: """
            SELECT b.snapshot_id AS id, b.body, s.title, s.publisher, s.link_id
            FROM snapshot_body b JOIN snapshot s ON s.id = b.snapshot_id ORDER BY b.snapshot_id
            """)
        while found.count < limit, let row = try rows.next() {
          let id: Int64 = row["id"]
          guard !seen.contains(id) else { continue }
          let stored = Stored(
            title: row["title"], publisher: row["publisher"], linkID: row["link_id"],
            body: try SnapshotBody.decode(row["body"]))
          if let snippet = try Catalog.matches(db, snapshot: id, query, stored: stored) { found.append((id, snippet)) }
        }
      }
      return try found.map { id, snippet in try Catalog.hit(db, snapshot: id, snippet: snippet, query: query) }
    }
  }

  /// Snapshots of links that a digest cites under a publisher holding one of the terms.
  static func citedPublisherCandidates(_ db: Database, _ query: SearchQuery) throws -> [Int64] {
    var ids: [Int64] = []
    for term in query.terms {
      let pattern =
        "%"
        + term.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
        .replacingOccurrences(of: "_", with: "\\_") + "%"
      ids += try Int64.fetchAll(
        db,
        sql: """
          SELECT s.id FROM snapshot s WHERE EXISTS (
            SELECT 1 FROM citation c WHERE c.link_id = s.link_id AND c.publisher LIKE ? ESCAPE '\\')
          ORDER BY s.id
          """, arguments: [pattern])
    }
    return ids
  }

  /// What a match is checked against, when the caller has it at hand.
  struct Stored {
    var title: String?
    var publisher: String?
    var linkID: Int64
    var body: [UInt8]
  }

  /// The snippet when snapshot `id` holds every term (in its title, its publishers or its
  /// text), else nil.
  static func matches(_ db: Database, snapshot id: Int64, _ query: SearchQuery, stored: Stored? = nil) throws
    -> String?
  {
    let given: Stored
    if let stored {
      given = stored
    } else {
      let named = try Row.fetchOne(
        db, sql: "SELECT title, publisher, link_id FROM snapshot WHERE id = ?", arguments: [id])
      given = Stored(
        title: named?["title"], publisher: named?["publisher"], linkID: named?["link_id"] ?? -1,
        body: try storedText(db, snapshot: id) ?? [])
    }
    let body = given.body
    // Cited publishers are read only when a term is not in the text.
    var names: [String]?
    func allNames() throws -> [String] {
      if let names { return names }
      let cited = try String.fetchAll(
        db, sql: "SELECT DISTINCT publisher FROM citation WHERE link_id = ? AND publisher IS NOT NULL",
        arguments: [given.linkID])
      let all = [given.title, given.publisher].compactMap { $0 } + cited
      names = all
      return all
    }
    var textMatched: String?
    for term in query.terms {
      let match = TextMatch(term)
      // As the index matches: bytes with ASCII folded, or any case when the term needs it.
      func holds(_ text: String) -> Bool {
        match.contains(Array(text.utf8))
          || match.foldsBeyondASCII && text.range(of: term, options: .caseInsensitive) != nil
      }
      let inBody =
        match.contains(body)
        || match.foldsBeyondASCII
          && String(decoding: body, as: UTF8.self).range(of: term, options: .caseInsensitive) != nil
      if !inBody {
        let names = try allNames()
        guard names.contains(where: holds) else { return nil }
      }
      if inBody && textMatched == nil { textMatched = term }
    }
    return Catalog.snippet(String(decoding: body, as: UTF8.self), around: textMatched ?? query.terms[0])
  }

  /// An FTS5 query for the articles holding every trigram of `term` (the trigram
  /// tokenizer's tokens: three Unicode scalars, case folded by the tokenizer), each quoted.
  static func trigramQuery(_ term: String) -> String {
    let scalars = Array(term.unicodeScalars)
    var seen = Set<String>()
    var terms: [String] = []
    for i in 0...(scalars.count - 3) {
      var gram = String.UnicodeScalarView()
      gram.append(contentsOf: scalars[i..<(i + 3)])
      let text = String(gram)
      if seen.insert(text).inserted { terms.append("\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"") }
    }
    return terms.joined(separator: " AND ")
  }

  /// The hit for one snapshot: its link, state, digests and publishers, and the snippet.
  static func hit(_ db: Database, snapshot id: Int64, snippet: String?, query: SearchQuery) throws -> SearchHit {
    let row = try Row.fetchOne(
      db,
      sql: """
        SELECT s.title, s.publisher, s.captured_at, l.url, l.id AS lid, l.state
        FROM snapshot s JOIN link l ON l.id = s.link_id WHERE s.id = ?
        """, arguments: [id])
    let linkID = row?["lid"] as Int64? ?? -1
    let dates = try String.fetchAll(
      db,
      sql:
        "SELECT DISTINCT d.date FROM citation c JOIN digest d ON d.id = c.digest_id WHERE c.link_id = ? ORDER BY d.date",
      arguments: [linkID])
    let cited = try String.fetchAll(
      db,
      sql: """
        SELECT publisher FROM citation WHERE link_id = ? AND publisher IS NOT NULL AND publisher != ''
        GROUP BY publisher ORDER BY MIN(id)
        """, arguments: [linkID])
    let body = try snippet == nil ? Catalog.storedText(db, snapshot: id) ?? [] : []
    let snippet = snippet ?? Catalog.snippet(String(decoding: body, as: UTF8.self), around: query.terms.first ?? "")
    let own = (row?["publisher"] as String?).flatMap { $0.isEmpty ? nil : $0 }
    return SearchHit(
      url: row?["url"] ?? "", title: row?["title"], publisher: own ?? cited.first, citedPublishers: cited,
      digestDates: dates, capturedAt: row?["captured_at"] ?? "", snippet: snippet, state: row?["state"] ?? "unknown",
      linkID: linkID)
  }
}
