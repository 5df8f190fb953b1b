import Foundation

/// Fills `archive_record` for snapshots captured before the table existed
/// (docs/design.md#cdxj-index): their response (or revisit) and metadata records are read from
/// the WARC files at the offsets the catalog holds. Their request records are not known
/// (nothing points at them), so an export of such a capture carries no request record.
///
/// Snapshots are read a page at a time and each page's records are stored in one transaction,
/// so memory holds one page whatever the catalog's size (a catalog upgraded at a million
/// snapshots backfills a million; docs/performance.md#scale).
public enum IndexBackfill {
  /// What a backfill did.
  public struct Result: Sendable {
    /// Snapshots whose records were found and stored.
    public var filled = 0
    /// The first `problemLimit` records that could not be read, named (`sourcekeep verify`
    /// says more).
    public var problems: [String] = []
    /// How many records could not be read, all told.
    public var problemCount = 0
  }

  /// Problems kept by name: past them only the count grows (a missing file would otherwise
  /// name every snapshot in it).
  public static let problemLimit = 100

  /// Snapshots read per page.
  static let page = 1000

  public static func run(catalog: Catalog, root: String) throws(CatalogError) -> Result {
    var result = Result()
    var after: Int64 = 0
    while true {
      let snapshots = try catalog.snapshotsWithoutRecords(after: after, limit: page)
      guard let last = snapshots.last else { return result }
      after = last.id
      var found: [(snapshot: Int64, records: [ArchivedRecord])] = []
      for snapshot in snapshots {
        let path = root + "/" + snapshot.location.file
        var records: [ArchivedRecord] = []
        var offsets = [snapshot.location.offset]
        if let metadata = snapshot.metadata { offsets.append(metadata) }
        for offset in offsets {
          do {
            let (record, length) = try WARCFile.record(at: offset, in: path)
            records.append(
              ArchivedRecord(
                entry: IndexedRecord(record: record),
                location: WARCFile.Location(file: snapshot.location.file, offset: offset, length: Int64(length))))
          } catch {
            result.problemCount += 1
            if result.problems.count < problemLimit { result.problems.append("snapshot \(snapshot.id): \(error)") }
          }
        }
        if !records.isEmpty { found.append((snapshot.id, records)) }
      }
      try catalog.addArchivedRecords(found)
      result.filled += found.count
    }
  }
}
