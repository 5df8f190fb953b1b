public import Foundation
import GRDB

/// One cited article in a WACZ's `pages/pages.jsonl`.
public struct ExportPage: Sendable, Equatable {
  public var url: String
  public var finalURL: String?
  public var capturedAt: Date
  public var title: String?
  /// The snapshot whose stored text is the page's `text`.
  public var textSnapshot: Int64
}

/// What `export wacz` takes from the catalog (docs/design.md#wacz-export).
public struct ExportSelection: Sendable {
  /// Every snapshot to export, revisits' originals included, in id order.
  public var snapshots: [Int64]
  public var pages: [ExportPage]
}

extension Catalog {
  /// The snapshots of the links the digests `digests` cite (every link when empty), captured
  /// at or after `since`, plus the response each revisit refers to; and one page per link.
  /// - Returns: nil in `unmatched` position for a digest name that matches nothing.
  public func exportSelection(digests: [String], since: Date?) throws(CatalogError) -> (
    selection: ExportSelection, unmatched: [String]
  ) {
    try read { db in
      var unmatched: [String] = []
      var digestIDs: [Int64] = []
      for name in digests {
        let ids = try Catalog.digestIDs(db, matching: name)
        if ids.isEmpty { unmatched.append(name) }
        digestIDs += ids
      }
      // Columns by position (a cursor, no by-name lookups: docs/performance.md#wacz-export).
      var sql = """
        SELECT s.id, s.link_id, s.record_type, s.payload_digest, s.status, l.url, s.final_url, s.captured_at, s.title
        FROM snapshot s JOIN link l ON l.id = s.link_id WHERE 1
        """
      var arguments: [any DatabaseValueConvertible] = []
      if !digests.isEmpty {
        sql +=
          " AND s.link_id IN (SELECT link_id FROM citation WHERE digest_id IN ("
          + (digestIDs.isEmpty ? "NULL" : digestIDs.map { _ in "?" }.joined(separator: ",")) + "))"
        arguments += digestIDs
      }
      if let since {
        sql += " AND s.captured_at >= ?"
        arguments.append(Timestamp.string(since))
      }
      sql += " ORDER BY s.link_id, s.captured_at, s.id"
      // The response a revisit refers to: the newest earlier capture of the link with its payload.
      let originalOf = try db.cachedStatement(
        sql: """
          SELECT id FROM snapshot WHERE link_id = ? AND payload_digest = ? AND record_type = 'response' AND id < ?
          ORDER BY id DESC LIMIT 1
          """)
      struct Capture {
        var id: Int64
        var revisit: Bool
        var digest: String
        var reached: Bool
        var url: String
        var finalURL: String?
        var capturedAt: String
        var title: String?
      }
      var snapshots = Set<Int64>()
      var pages: [ExportPage] = []
      // Rows come link by link: the page of a link is decided when its last row has been read.
      var link: Int64?
      var newest: Capture?
      var newestReached: Capture?
      func addPage() throws {
        guard let link, let page = newestReached ?? newest else { return }
        var textSnapshot = page.id
        if page.revisit, let original = try Int64.fetchOne(originalOf, arguments: [link, page.digest, page.id]) {
          textSnapshot = original
        }
        pages.append(
          ExportPage(
            url: page.url, finalURL: page.finalURL,
            capturedAt: Timestamp.parse(page.capturedAt) ?? Date(timeIntervalSince1970: 0), title: page.title,
            textSnapshot: textSnapshot))
      }
      let cursor = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments) ?? [])
      while let row = try cursor.next() {
        let capture = Capture(
          id: row[0], revisit: (row[2] as String) == "revisit", digest: row[3],
          reached: ["ok", "redirected"].contains(row[4] as String), url: row[5], finalURL: row[6], capturedAt: row[7],
          title: row[8])
        let rowLink: Int64 = row[1]
        if rowLink != link {
          try addPage()
          link = rowLink
          newest = nil
          newestReached = nil
        }
        snapshots.insert(capture.id)
        if capture.revisit,
          let original = try Int64.fetchOne(originalOf, arguments: [rowLink, capture.digest, capture.id])
        {
          snapshots.insert(original)
        }
        // The page is the newest capture that reached the article (ok/redirected), else the newest.
        newest = capture
        if capture.reached { newestReached = capture }
      }
      try addPage()
      return (ExportSelection(snapshots: snapshots.sorted(), pages: pages), unmatched)
    }
  }

  /// The stored main text of a snapshot, when it has one of at most `maxBytes` bytes of UTF-8
  /// (nil otherwise, or when it does not inflate). Longer texts are not decoded at all.
  public func snapshotText(_ id: Int64, maxBytes: Int = .max) -> String? {
    snapshotTexts([id], maxBytes: maxBytes)[0]
  }

  /// `snapshotText` for each of `ids`, in one read transaction: export asks for 2,000 texts at
  /// once, and a transaction each cost more than the reads (docs/performance.md#wacz-export).
  /// A text longer than `maxBytes` is skipped by the length its gzip trailer records, without
  /// inflating it (inflating whole texts only to drop them was a third of an export's CPU).
  public func snapshotTexts(_ ids: [Int64], maxBytes: Int = .max) -> [String?] {
    (try? read { db in
      let statement = try db.cachedStatement(sql: "SELECT body FROM snapshot_body WHERE snapshot_id = ?")
      return ids.map { id -> String? in
        guard let blob = try? Data.fetchOne(statement, arguments: [id]),
          let length = SnapshotBody.textLength(blob), length <= maxBytes,
          let bytes = try? SnapshotBody.decode(blob)
        else { return nil }
        return String(decoding: bytes, as: UTF8.self)
      }
    }) ?? ids.map { _ in nil }
  }
}

/// One record `export wacz` copies: where it is in the store, and its index entry as the
/// catalog stores it (`archive_record`).
public struct ExportRecord: Sendable {
  /// The store file (relative to the store's root).
  public var file: String
  public var offset: Int64
  public var length: Int64
  /// The SURT key; nil for records an index leaves out (request, warcinfo).
  public var surt: String?
  /// The 14-digit timestamp.
  public var timestamp: String
  /// The JSON block stored for the record's place in the store (`IndexedRecord.json`).
  public var json: String?
}

extension Catalog {
  /// The records of these snapshots, in file order (by file, then offset), each once, for
  /// `export wacz`. Read with a cursor by column position: GRDB's by-name lookups lowercased
  /// every column name for every row (docs/performance.md#wacz-export).
  public func exportRecords(snapshots: [Int64]) throws(CatalogError) -> [ExportRecord] {
    guard !snapshots.isEmpty else { return [] }
    var out: [ExportRecord] = try read { db in
      var out: [ExportRecord] = []
      out.reserveCapacity(snapshots.count * 4)
      for chunk in stride(from: 0, to: snapshots.count, by: 500) {
        let ids = Array(snapshots[chunk..<min(chunk + 500, snapshots.count)])
        let list = ids.map { _ in "?" }.joined(separator: ",")
        let columns = "warc_file, warc_offset, warc_length, surt, ts, cdx_json"
        // The snapshots' own records; the requisites they reuse from earlier captures; and the
        // response records their requisite revisits refer to (docs/design.md#page-requisites).
        let cursor = try Row.fetchCursor(
          db,
          sql: """
            SELECT \(columns) FROM archive_record WHERE snapshot_id IN (\(list))
            UNION
            SELECT a.warc_file, a.warc_offset, a.warc_length, a.surt, a.ts, a.cdx_json FROM requisite q
              JOIN archive_record a ON a.warc_file = q.warc_file AND a.warc_offset = q.warc_offset
              WHERE q.snapshot_id IN (\(list)) AND q.reused = 1
            UNION
            SELECT a.warc_file, a.warc_offset, a.warc_length, a.surt, a.ts, a.cdx_json FROM requisite q
              JOIN requisite o ON o.id = (
                SELECT o2.id FROM requisite o2 WHERE o2.payload_digest = q.payload_digest
                AND o2.record_type = 'response' AND o2.reused = 0 ORDER BY o2.id LIMIT 1)
              JOIN archive_record a ON a.warc_file = o.warc_file AND a.warc_offset = o.warc_offset
              WHERE q.snapshot_id IN (\(list)) AND q.record_type = 'revisit'
            """, arguments: StatementArguments(ids + ids + ids))
        while let row = try cursor.next() {
          out.append(
            ExportRecord(
              file: row[0], offset: row[1], length: row[2], surt: row[3], timestamp: row[4] ?? "", json: row[5]))
        }
      }
      return out
    }
    out.sort { ($0.file, $0.offset) < ($1.file, $1.offset) }
    // A record two snapshots share (a reused requisite) is copied once.
    var kept = 0
    for i in out.indices where kept == 0 || out[i].offset != out[kept - 1].offset || out[i].file != out[kept - 1].file {
      out.swapAt(i, kept)
      kept += 1
    }
    out.removeLast(out.count - kept)
    return out
  }
}
