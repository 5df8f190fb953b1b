import Foundation
import GRDB

/// The full-text index's queue (docs/design.md#search): a capture stores its text and queues
/// it (`storeText`); the index takes the queue in batches, because FTS5 writes one segment per
/// transaction and merges segments later, so indexing one text per capture commit cost ~40 %
/// more CPU than 64 to a transaction (migration v10 has the figures). Search looks at the
/// queued texts directly (`queuedTextIDs`), so a capture is found the moment it is committed.
extension Catalog {
  /// Texts in one indexing transaction, at most.
  static let indexBatch = 256
  /// Stored text (bytes, decompressed) in one indexing transaction, at most, past the first:
  /// bounds the memory one batch holds.
  static let indexBatchBytes = 8 << 20

  /// A text committed and queued, still in the memory of the process that captured it.
  struct QueuedText: Sendable {
    var snapshot: Int64
    var title: String
    var publisher: String
    var text: String
  }

  /// Adds `texts`, which the caller committed and still holds, to the full-text index in one
  /// transaction (no stored blob inflated). A text another process has indexed meanwhile (its
  /// queue row gone) is skipped.
  func indexTexts(_ texts: [QueuedText]) throws(CatalogError) {
    guard !texts.isEmpty else { return }
    try write { db in
      for queued in texts {
        try db.cachedStatement(sql: "DELETE FROM snapshot_fts_queue WHERE snapshot_id = ?")
          .execute(arguments: [queued.snapshot])
        guard db.changesCount == 1 else { continue }
        try Catalog.addToIndex(db, queued)
      }
    }
  }

  /// How many stored texts wait for the full-text index.
  public func queuedTextCount() throws(CatalogError) -> Int {
    try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM snapshot_fts_queue") ?? 0 }
  }

  /// Adds every queued text to the full-text index, oldest first, a batch to a transaction,
  /// and returns how many it indexed. Another process taking the same queue is harmless: a
  /// text is indexed by the transaction that removes it from the queue.
  @discardableResult
  public func indexQueuedTexts() throws(CatalogError) -> Int {
    var total = 0
    while true {
      let indexed = try write { db in try Catalog.indexQueuedTexts(db) }
      if indexed == 0 { return total }
      total += indexed
    }
  }

  /// One batch: up to `indexBatch` queued texts or `indexBatchBytes` of text.
  static func indexQueuedTexts(_ db: Database) throws -> Int {
    let ids = try Int64.fetchAll(
      db, sql: "SELECT snapshot_id FROM snapshot_fts_queue ORDER BY snapshot_id LIMIT ?", arguments: [indexBatch])
    var bytes = 0
    var done = 0
    for id in ids {
      guard done == 0 || bytes < indexBatchBytes else { break }
      let row = try Row.fetchOne(
        db.cachedStatement(
          sql: """
            SELECT s.title, s.publisher, b.body FROM snapshot s
            LEFT JOIN snapshot_body b ON b.snapshot_id = s.id WHERE s.id = ?
            """), arguments: [id])
      // A body that does not inflate (a damaged blob) is indexed by its title and publisher:
      // keeping it queued would stop the queue for good; `verify` reports the damage.
      let blob: Data? = row?["body"]
      let text = blob.flatMap { try? SnapshotBody.decode($0) }.map { String(decoding: $0, as: UTF8.self) } ?? ""
      bytes += text.utf8.count
      try Catalog.addToIndex(
        db, QueuedText(snapshot: id, title: row?["title"] ?? "", publisher: row?["publisher"] ?? "", text: text))
      try db.cachedStatement(sql: "DELETE FROM snapshot_fts_queue WHERE snapshot_id = ?").execute(arguments: [id])
      done += 1
    }
    return done
  }

  /// One text into the contentless index (it keeps no copy, so a row is never updated).
  static func addToIndex(_ db: Database, _ text: QueuedText) throws {
    try db.cachedStatement(sql: "INSERT INTO snapshot_fts (rowid, title, publisher, body) VALUES (?, ?, ?, ?)")
      .execute(arguments: [text.snapshot, text.title, text.publisher, text.text])
  }

  /// The snapshots whose text is stored but not yet indexed, oldest first: search checks them
  /// as candidates beside the index's answers. A batch at most, unless a run was killed
  /// before it indexed (the next run takes them).
  static func queuedTextIDs(_ db: Database) throws -> [Int64] {
    try Int64.fetchAll(db, sql: "SELECT snapshot_id FROM snapshot_fts_queue ORDER BY snapshot_id")
  }
}
