import Foundation

/// Fills `archive_record` for snapshots captured before the table existed
/// (docs/design.md#cdxj-index): their response (or revisit) and metadata records are read from
/// the WARC files at the offsets the catalog holds. Their request records are not known
/// (nothing points at them), so an export of such a capture carries no request record.
public enum IndexBackfill {
  /// - Returns: how many snapshots were filled in, and the problems (a record that no longer
  ///   reads is named and skipped; `sourcekeep verify` says more).
  public static func run(catalog: Catalog, root: String) throws(CatalogError) -> (filled: Int, problems: [String]) {
    var filled = 0
    var problems: [String] = []
    for snapshot in try catalog.snapshotsWithoutRecords() {
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
          problems.append("snapshot \(snapshot.id): \(error)")
        }
      }
      guard !records.isEmpty else { continue }
      try catalog.addArchivedRecords(records, snapshot: snapshot.id)
      filled += 1
    }
    return (filled, problems)
  }
}
