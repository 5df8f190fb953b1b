import Foundation
import GRDB

/// What `sourcekeep compact` did: the catalog file before and after, and how many links it holds.
public struct CompactResult: Sendable {
  public var bytesBefore: Int64
  public var bytesAfter: Int64
  public var links: Int

  /// Catalog bytes per link after compaction (0 for an empty catalog).
  public var bytesPerLink: Int64 { links == 0 ? 0 : bytesAfter / Int64(links) }
}

extension Catalog {
  /// The catalog file's size with its WAL (bytes on disk for this catalog).
  public func fileSize() -> Int64 {
    [path, path + "-wal"].reduce(Int64(0)) { total, file in
      let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? 0
      return total + size
    }
  }

  /// Reclaims the space that deleted rows left (docs/design.md#compact): the full-text index's
  /// segments merged into one (FTS5 `optimize`: automerge 16 leaves up to 16 per level), then
  /// `VACUUM` (SQLite keeps freed pages in the file until one), then the WAL checkpointed and
  /// truncated. Needs free disk space about the catalog's size while it runs, and the store lock:
  /// nothing else may write meanwhile.
  public func compact() throws(CatalogError) -> CompactResult {
    let before = fileSize()
    let links = try totals().links
    try indexQueuedTexts()
    try withWriter { writer in
      try writer.write { db in
        try db.execute(sql: "INSERT INTO snapshot_fts (snapshot_fts) VALUES ('optimize')")
      }
      try writer.vacuum()
      try writer.writeWithoutTransaction { db in
        _ = try Row.fetchAll(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
      }
    }
    return CompactResult(bytesBefore: before, bytesAfter: fileSize(), links: links)
  }
}
