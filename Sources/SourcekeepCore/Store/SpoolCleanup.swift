import SKSystem

/// Removes the spool files a crashed or killed process left in `<storage.dir>/tmp`
/// (docs/design.md#spooled-bodies). A running process removes its own as soon as their
/// records are written or their transfer fails; only a process that died leaves any.
public enum SpoolCleanup {
  /// Removes them and journals `spool.cleanup` (how many, the first and last name) when there
  /// were any. Call it with the store lock held: the daemon and the CLI do at the start of
  /// every `ingest now` and `check now`.
  /// - Returns: how many files were removed.
  @discardableResult
  public static func run(layout: StoreLayout, journal: Journal) -> Int {
    let removed = SpoolDirectory.removeLeftovers(in: layout.tmpDirectory)
    guard let first = removed.first, let last = removed.last else { return 0 }
    journal.record(
      "spool.cleanup",
      [
        ("dir", .string(layout.tmpDirectory)), ("files", .int(Int64(removed.count))), ("first", .string(first)),
        ("last", .string(last)),
      ])
    return removed.count
  }
}
