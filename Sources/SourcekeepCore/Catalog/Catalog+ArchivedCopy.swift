public import Foundation
import GRDB

/// One capture of a link as `show` and the web view list it.
public struct CaptureRow: Sendable, Equatable {
  public var pointer: SnapshotPointer
  public var status: CheckStatus?
  public var httpStatus: Int?
  public var title: String?
  public var publisher: String?
  public var author: String?
  public var published: String?
  public var truncated: Bool
}

/// A link's state now and all its captures, oldest first (docs/design.md#show).
public struct LinkCaptures: Sendable {
  public var linkID: Int64
  public var url: String
  public var state: LinkState
  public var status: String?
  public var httpStatus: Int?
  public var lastChecked: Date?
  public var lastOK: Date?
  public var deadSince: Date?
  public var firstFailure: Date?
  public var captures: [CaptureRow]
  /// Index in `captures` of the one the report points at (the report's rule:
  /// `Catalog.preservingSnapshot`), nil when there is none.
  public var preferred: Int?
}

extension Catalog {
  /// The link with this URL (as cited, or as normalised when ingested) and its captures, or nil
  /// when the catalog does not know it.
  public func captures(of url: String) throws(CatalogError) -> LinkCaptures? {
    var candidates = [url]
    if case .web(let normalized) = NormalizedURL.parse(url), normalized.string != url {
      candidates.append(normalized.string)
    }
    let keys = candidates
    return try read { db in
      var link: Row?
      for key in keys where link == nil {
        link = try Row.fetchOne(db, sql: "SELECT * FROM link WHERE url = ?", arguments: [key])
      }
      guard let link else { return nil }
      let id: Int64 = link["id"]
      let linkURL: String = link["url"]
      let state = LinkState(rawValue: link["state"]) ?? .unknown
      let rows = try Row.fetchAll(
        db, sql: "SELECT * FROM snapshot WHERE link_id = ? ORDER BY captured_at, id", arguments: [id])
      let captures = rows.map { row in
        CaptureRow(
          pointer: Catalog.pointer(row, url: linkURL), status: (row["status"] as String?).flatMap(CheckStatus.init),
          httpStatus: row["http_status"], title: row["title"], publisher: row["publisher"], author: row["author"],
          published: row["published"], truncated: (row["truncated"] as Int? ?? 0) != 0)
      }
      // The report's rule, reused as is: the row it picks is matched by its WARC position.
      let preferred = try Catalog.preservingSnapshot(db, linkID: id, state: state).flatMap { chosen in
        captures.firstIndex {
          $0.pointer.location.file == chosen.warcFile && $0.pointer.location.offset == chosen.warcOffset
        }
      }
      func date(_ column: String) -> Date? { (link[column] as String?).flatMap(Timestamp.parse) }
      return LinkCaptures(
        linkID: id, url: linkURL, state: state, status: link["status"], httpStatus: link["http_status"],
        lastChecked: date("last_checked"), lastOK: date("last_ok"), deadSince: date("dead_since"),
        firstFailure: date("first_failure"), captures: captures, preferred: preferred)
    }
  }

  /// The response snapshot a revisit repeats: the newest earlier `response` of the same link
  /// with the same payload digest.
  public func originalResponse(of revisit: SnapshotPointer) throws(CatalogError) -> SnapshotPointer? {
    try read { db in
      try Row.fetchOne(
        db,
        sql: """
          SELECT * FROM snapshot WHERE link_id = ? AND record_type = 'response' AND payload_digest = ?
            AND (captured_at < ? OR (captured_at = ? AND id < ?))
          ORDER BY captured_at DESC, id DESC LIMIT 1
          """,
        arguments: [
          revisit.linkID, revisit.payloadDigest, Timestamp.string(revisit.capturedAt),
          Timestamp.string(revisit.capturedAt), revisit.id,
        ]
      ).map { Catalog.pointer($0, url: revisit.url) }
    }
  }

  /// The `conversion_*` columns of a snapshot row as a location, when set.
  static func conversionLocation(_ row: Row) -> WARCFile.Location? {
    guard let file: String = row["conversion_file"], let offset: Int64 = row["conversion_offset"],
      let length: Int64 = row["conversion_length"]
    else { return nil }
    return WARCFile.Location(file: file, offset: offset, length: length)
  }

  /// Records where a new snapshot's readable rendition is: its own conversion record, or for a
  /// revisit the rendition of the response whose payload it repeats.
  static func recordConversion(_ db: Database, snapshot id: Int64, linkID: Int64, _ s: SnapshotRecord) throws {
    if let c = s.conversion {
      try db.cachedStatement(
        sql: "UPDATE snapshot SET conversion_file = ?, conversion_offset = ?, conversion_length = ? WHERE id = ?"
      ).execute(arguments: [c.file, c.offset, c.length, id])
    } else if s.recordType == "revisit" {
      try db.cachedStatement(
        sql: """
          UPDATE snapshot SET (conversion_file, conversion_offset, conversion_length) = (
            SELECT conversion_file, conversion_offset, conversion_length FROM snapshot
            WHERE link_id = ? AND record_type = 'response' AND payload_digest = ? AND conversion_file IS NOT NULL
              AND id <> ?
            ORDER BY captured_at DESC, id DESC LIMIT 1)
          WHERE id = ?
          """
      ).execute(arguments: [linkID, s.payloadDigest, id, id])
    }
  }
}
