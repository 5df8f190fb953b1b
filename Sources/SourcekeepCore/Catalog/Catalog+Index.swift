import Foundation
import GRDB

/// One record of a capture and where it is on disk.
public struct ArchivedRecord: Sendable, Equatable {
  public var entry: IndexedRecord
  public var location: WARCFile.Location

  public init(entry: IndexedRecord, location: WARCFile.Location) {
    self.entry = entry
    self.location = location
  }
}

/// The catalog's record of every archived record (table `archive_record`): the source of the
/// CDXJ index and of `export wacz` (docs/design.md#cdxj-index).
extension Catalog {
  static func storeArchivedRecords(_ db: Database, _ records: [ArchivedRecord], snapshot: Int64) throws {
    // A cached statement: a capture stores four or more records, and preparing this INSERT
    // anew for each (with the snapshot's other statements) was 1.6 % of a capture's CPU
    // (docs/performance.md#where-capture-cpu-goes).
    guard !records.isEmpty else { return }
    let insert = try db.cachedStatement(
      sql: """
        INSERT INTO archive_record (snapshot_id, record_type, warc_file, warc_offset, warc_length, surt, ts, cdx_json)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """)
    for r in records {
      try insert.execute(
        arguments: [
          snapshot, r.entry.type, r.location.file, r.location.offset, r.location.length, r.entry.surt,
          r.entry.surt == nil ? nil : r.entry.timestamp, r.entry.surt == nil ? nil : r.entry.json(at: r.location),
        ])
    }
  }

  /// The newest `archive_record` id (0 when there is none).
  public func lastArchivedRecordID() throws(CatalogError) -> Int64 {
    try read { db in try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM archive_record") ?? 0 }
  }

  /// Streams the CDXJ lines of the rows with `afterID < id <= throughID`, in SURT order, to
  /// `body` (a cursor: memory stays flat however large the index).
  /// - Returns: how many lines were given.
  @discardableResult
  public func forEachIndexLine(
    afterID: Int64 = 0, throughID: Int64 = .max, _ body: @Sendable (String) throws -> Void
  ) throws(CatalogError) -> Int {
    try read { db in
      let cursor = try Row.fetchCursor(
        db, sql: Catalog.indexLinesSQL(afterID: afterID),
        arguments: [afterID, throughID])
      var count = 0
      while let row = try cursor.next() {
        let surt: String = row[0]
        let ts: String = row[1]
        let json: String = row[2]
        try body(surt + " " + ts + " " + json)
        count += 1
      }
      return count
    }
  }

  /// The CDXJ lines of rows with `? < id <= ?`, in line order. The whole index (`afterID` 0)
  /// walks archive_record_cdx, already in line order (no sort). A slice of new rows (the recent
  /// file, a few thousand lines) is found by id range and sorted: through the index it meant
  /// reading every row ever archived after each committed batch.
  static func indexLinesSQL(afterID: Int64) -> String {
    let source =
      afterID == 0
      ? "archive_record INDEXED BY archive_record_cdx WHERE surt IS NOT NULL AND id > ? AND id <= ?"
      : "archive_record NOT INDEXED WHERE id > ? AND id <= ? AND surt IS NOT NULL"
    return "SELECT surt, ts, cdx_json FROM \(source) ORDER BY surt, ts, cdx_json"
  }

  /// Snapshots with no `archive_record` rows (captured before the table existed), for
  /// `sourcekeep index` to fill in from the WARC files.
  public func snapshotsWithoutRecords(after id: Int64, limit: Int) throws(CatalogError)
    -> [(id: Int64, location: WARCFile.Location, metadata: Int64?)]
  {
    try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT id, warc_file, warc_offset, warc_length, metadata_offset FROM snapshot s
          WHERE id > ? AND NOT EXISTS (SELECT 1 FROM archive_record r WHERE r.snapshot_id = s.id)
          ORDER BY id LIMIT ?
          """, arguments: [id, limit]
      ).map { row in
        (
          row["id"], WARCFile.Location(file: row["warc_file"], offset: row["warc_offset"], length: row["warc_length"]),
          row["metadata_offset"]
        )
      }
    }
  }

  /// Adds the records of snapshots found by `sourcekeep index` (see `snapshotsWithoutRecords`),
  /// in one transaction.
  public func addArchivedRecords(_ found: [(snapshot: Int64, records: [ArchivedRecord])]) throws(CatalogError) {
    guard !found.isEmpty else { return }
    try write { db in
      for (snapshot, records) in found { try Catalog.storeArchivedRecords(db, records, snapshot: snapshot) }
    }
  }
}
