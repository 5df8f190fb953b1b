import Foundation
import GRDB

/// One archived article found by `sourcekeep search`.
public struct SearchHit: Sendable {
  public var url: String
  public var title: String?
  public var publisher: String?
  public var digestDates: [String]
  public var capturedAt: String
  public var snippet: String
}

extension Catalog {
  /// Finds archived articles whose title, publisher or text contains `query`.
  ///
  /// The trigram index answers queries of three characters or more (any substring, which
  /// Chinese needs: no spaces between words), best match first. It keeps no copy of the text
  /// (contentless), so the snippet comes from the compressed body. Shorter queries such as
  /// 千问 have no trigram to look up: they scan titles, publishers and bodies in capture order.
  public func search(_ query: String, limit: Int = 50) throws(CatalogError) -> [SearchHit] {
    let trimmed = query.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty, limit > 0 else { return [] }
    return try read { db in
      let found =
        trimmed.unicodeScalars.count >= 3
        ? try Catalog.indexed(db, trimmed, limit) : try Catalog.scanned(db, trimmed, limit)
      return try found.map { id, snippet in try Catalog.hit(db, snapshot: id, snippet: snippet, query: trimmed) }
    }
  }

  /// Snapshot ids (with snippets) whose title, publisher or body holds `query`, in rank
  /// order; stops at `limit`.
  ///
  /// The index has no positions (migration v3): it yields the articles holding every trigram
  /// of the query, and each is checked against its stored text before it counts.
  static func indexed(_ db: Database, _ query: String, _ limit: Int) throws -> [(Int64, String?)] {
    let match = TextMatch(query)
    let candidates = try Int64.fetchCursor(
      db, sql: "SELECT rowid FROM snapshot_fts WHERE snapshot_fts MATCH ? ORDER BY rank",
      arguments: [trigramQuery(query)])
    var found: [(Int64, String?)] = []
    while found.count < limit, let id = try candidates.next() {
      let named = try Row.fetchOne(db, sql: "SELECT title, publisher FROM snapshot WHERE id = ?", arguments: [id])
      // As the index matches: bytes with ASCII folded, or any case when the query needs it.
      func holds(_ text: String) -> Bool {
        match.contains(Array(text.utf8))
          || match.foldsBeyondASCII && text.range(of: query, options: .caseInsensitive) != nil
      }
      let text = String(decoding: try storedText(db, snapshot: id) ?? [], as: UTF8.self)
      let names = [named?["title"] as String?, named?["publisher"] as String?].compactMap { $0 }
      if names.contains(where: holds) || holds(text) { found.append((id, Catalog.snippet(text, around: query))) }
    }
    return found
  }

  /// An FTS5 query for the articles holding every trigram of `query` (the trigram
  /// tokenizer's tokens: three Unicode scalars, case folded by the tokenizer), each quoted.
  static func trigramQuery(_ query: String) -> String {
    let scalars = Array(query.unicodeScalars)
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

  /// Snapshot ids (with their snippets, made while the body is at hand) whose title,
  /// publisher or body holds `query`, lowest id first; stops at `limit`.
  static func scanned(_ db: Database, _ query: String, _ limit: Int) throws -> [(Int64, String?)] {
    let pattern =
      "%"
      + query.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
      .replacingOccurrences(of: "_", with: "\\_") + "%"
    let match = TextMatch(query)
    var found: [(Int64, String?)] = []
    // A cursor holds one blob at a time: the scan's memory does not grow with the archive.
    let rows = try Row.fetchCursor(
      db,
      sql: """
        SELECT b.snapshot_id AS id, b.body,
          (s.title LIKE :p ESCAPE '\\' OR s.publisher LIKE :p ESCAPE '\\') AS named
        FROM snapshot_body b JOIN snapshot s ON s.id = b.snapshot_id ORDER BY b.snapshot_id
        """, arguments: ["p": pattern])
    while found.count < limit, let row = try rows.next() {
      let body = try SnapshotBody.decode(row["body"])
      if (row["named"] as Bool? ?? false) || match.firstRange(in: body) != nil {
        found.append((row["id"], Catalog.snippet(String(decoding: body, as: UTF8.self), around: query)))
      }
    }
    return found
  }

  /// The hit for one snapshot: its link, digests and a snippet of its body (given, or made
  /// from the stored body).
  static func hit(_ db: Database, snapshot id: Int64, snippet: String?, query: String) throws -> SearchHit {
    let row = try Row.fetchOne(
      db,
      sql: """
        SELECT s.title, s.publisher, s.captured_at, l.url, l.id AS lid
        FROM snapshot s JOIN link l ON l.id = s.link_id WHERE s.id = ?
        """, arguments: [id])
    let dates = try String.fetchAll(
      db,
      sql:
        "SELECT DISTINCT d.date FROM citation c JOIN digest d ON d.id = c.digest_id WHERE c.link_id = ? ORDER BY d.date",
      arguments: [row?["lid"] as Int64? ?? -1])
    let body = try snippet == nil ? Catalog.storedText(db, snapshot: id) ?? [] : []
    let snippet = snippet ?? Catalog.snippet(String(decoding: body, as: UTF8.self), around: query)
    return SearchHit(
      url: row?["url"] ?? "", title: row?["title"], publisher: row?["publisher"], digestDates: dates,
      capturedAt: row?["captured_at"] ?? "", snippet: snippet)
  }
}
