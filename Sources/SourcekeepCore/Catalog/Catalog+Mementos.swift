public import Foundation
import GRDB
import SKZlib

/// One archived capture of a URL, as the web view's Memento routes list them
/// (docs/design.md#web-view): every snapshot row of the link, oldest first.
public struct Memento: Sendable, Equatable {
  public var snapshotID: Int64
  public var linkID: Int64
  /// The cited URL (the link's), which the web view's addresses carry.
  public var url: String
  /// `2026-02-17T08:00:00.000Z`, as the catalog stores it.
  public var capturedAt: String
  public var status: String
  public var httpStatus: Int?
  public var finalURL: String?
  /// `response` or `revisit` (the payload is in an earlier response with the same digest).
  public var recordType: String
  public var location: WARCFile.Location
  public var payloadDigest: String
  public var title: String?
  public var publisher: String?
  public var truncated: Bool
  /// Where the capture's readable rendition (its `conversion` record) is, when it has one.
  public var conversion: WARCFile.Location?

  /// The capture time as a `Date` (the epoch for an unparsable stored value).
  public var date: Date { Timestamp.parse(capturedAt) ?? Date(timeIntervalSince1970: 0) }
}

/// What `Catalog.mementoLookup(urls:)` finds: one link and its captures.
public struct MementoLookup: Sendable {
  public var linkID: Int64
  /// The cited URL.
  public var url: String
  public var state: LinkState?
  /// Oldest first.
  public var mementos: [Memento]
}

extension Catalog {
  /// The link whose cited URL is `url`, or else whose last check or any capture ended at
  /// `url` (a reader may paste the address the browser showed after redirects).
  public func linkID(forURL url: String) throws(CatalogError) -> Int64? {
    try read { db in
      if let id = try Int64.fetchOne(db, sql: "SELECT id FROM link WHERE url = ?", arguments: [url]) { return id }
      if let id = try Int64.fetchOne(db, sql: "SELECT id FROM link WHERE final_url = ? ORDER BY id", arguments: [url]) {
        return id
      }
      return try Int64.fetchOne(
        db, sql: "SELECT link_id FROM snapshot WHERE final_url = ? ORDER BY id LIMIT 1", arguments: [url])
    }
  }

  /// The captures a web view address names, read in one transaction (the copy page's hot
  /// path, docs/performance.md#web-view): the first of `urls` the catalog knows (as
  /// `linkID(forURL:)` finds it), its cited URL, its state now and every capture, oldest
  /// first. Nil when none of `urls` is known.
  public func mementoLookup(urls: [String]) throws(CatalogError) -> MementoLookup? {
    try read { db in
      // Cached statements (per reader connection): preparing these again on every request cost
      // more than running them (GRDB's authorizer walks every column of `s.*` at prepare time).
      let byURL = try db.cachedStatement(sql: "SELECT id, url, state FROM link WHERE url = ?")
      let captures = try db.cachedStatement(
        sql: """
          SELECT s.*, l.url AS link_url FROM snapshot s JOIN link l ON l.id = s.link_id
          WHERE s.link_id = ? ORDER BY s.captured_at, s.id
          """)
      for url in urls {
        var link = try Row.fetchOne(byURL, arguments: [url])
        if link == nil {
          link = try Row.fetchOne(
            db, sql: "SELECT id, url, state FROM link WHERE final_url = ? ORDER BY id LIMIT 1", arguments: [url])
        }
        if link == nil {
          link = try Row.fetchOne(
            db,
            sql: """
              SELECT l.id, l.url, l.state FROM link l
              WHERE l.id = (SELECT link_id FROM snapshot WHERE final_url = ? ORDER BY id LIMIT 1)
              """, arguments: [url])
        }
        guard let link else { continue }
        let id: Int64 = link["id"]
        let mementos = try Row.fetchAll(captures, arguments: [id]).map(Catalog.memento)
        return MementoLookup(
          linkID: id, url: link["url"], state: LinkState(rawValue: link["state"]), mementos: mementos)
      }
      return nil
    }
  }

  /// Every capture of link `id`, oldest first (ties in capture time by row order).
  public func mementos(linkID id: Int64) throws(CatalogError) -> [Memento] {
    try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT s.*, l.url AS link_url FROM snapshot s JOIN link l ON l.id = s.link_id
          WHERE s.link_id = ? ORDER BY s.captured_at, s.id
          """, arguments: [id]
      ).map(Catalog.memento)
    }
  }

  /// The capture with row id `id`, if any.
  public func memento(snapshotID id: Int64) throws(CatalogError) -> Memento? {
    try read { db in
      try Row.fetchOne(
        db, sql: "SELECT s.*, l.url AS link_url FROM snapshot s JOIN link l ON l.id = s.link_id WHERE s.id = ?",
        arguments: [id]
      ).map(Catalog.memento)
    }
  }

  /// Where the payload of a revisit lives: the first `response` record with the same payload
  /// digest (the identical-payload-digest profile, docs/design.md#archive), looked for among
  /// the link's own captures first (indexed by link), then anywhere.
  public func responseLocation(payloadDigest: String, linkID: Int64? = nil) throws(CatalogError) -> WARCFile.Location? {
    try read { db in
      let columns = "SELECT warc_file, warc_offset, warc_length FROM snapshot"
      let order = "AND record_type = 'response' ORDER BY captured_at, id LIMIT 1"
      var row: Row?
      if let linkID {
        row = try Row.fetchOne(
          db, sql: "\(columns) WHERE link_id = ? AND payload_digest = ? \(order)", arguments: [linkID, payloadDigest])
      }
      if row == nil {
        row = try Row.fetchOne(db, sql: "\(columns) WHERE payload_digest = ? \(order)", arguments: [payloadDigest])
      }
      return row.map { WARCFile.Location(file: $0["warc_file"], offset: $0["warc_offset"], length: $0["warc_length"]) }
    }
  }

  /// The main text extracted from capture `id` (UTF-8, paragraphs separated by blank lines),
  /// or nil when it has none (revisits keep their text in the first response).
  /// - Throws: `CatalogError` with cause `.damagedText` when the stored blob does not inflate.
  public func text(ofSnapshot id: Int64) throws(CatalogError) -> String? {
    try read { db in
      do {
        return try Catalog.storedText(db, snapshot: id).map { String(decoding: $0, as: UTF8.self) }
      } catch let error as ZlibError {
        throw CatalogError(
          path: "", message: "the stored text of snapshot \(id) is damaged: \(error)", cause: .damagedText(snapshot: id)
        )
      }
    }
  }

  static func memento(_ row: Row) -> Memento {
    Memento(
      snapshotID: row["id"], linkID: row["link_id"], url: row["link_url"], capturedAt: row["captured_at"],
      status: row["status"], httpStatus: row["http_status"], finalURL: row["final_url"],
      recordType: row["record_type"],
      location: WARCFile.Location(file: row["warc_file"], offset: row["warc_offset"], length: row["warc_length"]),
      payloadDigest: row["payload_digest"], title: row["title"], publisher: row["publisher"],
      truncated: (row["truncated"] as Int? ?? 0) != 0, conversion: Catalog.conversionLocation(row))
  }
}

extension Catalog {
  /// The state of each of `urls` the catalog knows (search results show it).
  public func linkStates(forURLs urls: [String]) throws(CatalogError) -> [String: LinkState] {
    try read { db in
      var out: [String: LinkState] = [:]
      for url in Set(urls) {
        if let raw = try String.fetchOne(db, sql: "SELECT state FROM link WHERE url = ?", arguments: [url]),
          let state = LinkState(rawValue: raw)
        {
          out[url] = state
        }
      }
      return out
    }
  }
}
