import Foundation
import GRDB
import SKZlib

/// Where a response's main text lives: compressed in `snapshot_body` (what search snippets
/// and the drift reference read back) and in the contentless trigram index `snapshot_fts`
/// (which keeps no copy of the text; migration v3 says why).
extension Catalog {
  /// Stores the main text of snapshot `id` (`blob`: as `SnapshotBody.encode` makes it) and
  /// queues it for the full-text index, which takes
  /// queued texts in batches (`indexQueuedTexts`, Catalog+TextIndex.swift).
  ///
  /// The index cannot be updated or deleted from without the original values: a snapshot's
  /// text is written once, and removing one would take an FTS5 'delete' command fed with the
  /// decompressed body.
  static func storeText(_ db: Database, snapshot id: Int64, blob: Data) throws {
    try db.cachedStatement(sql: "INSERT INTO snapshot_body (snapshot_id, body) VALUES (?, ?)")
      .execute(arguments: [id, blob])
    try db.cachedStatement(sql: "INSERT INTO snapshot_fts_queue (snapshot_id) VALUES (?)").execute(arguments: [id])
  }

  /// The UTF-8 main text of snapshot `id`, or nil when it has none (revisits, failures).
  static func storedText(_ db: Database, snapshot id: Int64) throws -> [UInt8]? {
    try Data.fetchOne(db, sql: "SELECT body FROM snapshot_body WHERE snapshot_id = ?", arguments: [id])
      .map { blob throws(ZlibError) in try SnapshotBody.decode(blob) }
  }
}

extension SnapshotBody {
  /// The length of the text in `blob` as its gzip trailer records it (ISIZE, the length modulo
  /// 2^32: exact below `limit`), read without inflating; nil when the blob is too short to be
  /// a gzip member.
  static func textLength(_ blob: Data) -> Int? {
    guard blob.count >= 18 else { return nil }
    let end = blob.endIndex
    return (0..<4).reduce(0) { $0 | Int(blob[end - 4 + $1]) << (8 * $1) }
  }
}
