public import Foundation

/// `[journal] keep_days`: the journal keeps one file per UTC day (`2026-02-17.jsonl`) and
/// drops the files of days older than that many days (docs/design.md#journal). A hundred
/// thousand links checked daily write ~40 MB a day, so an unpruned journal grows without end.
///
/// Runs at the start of every ingest and check run, the daemon's scheduled ones included, so a
/// store is pruned on the daemon's schedule and by the CLI alike.
public enum JournalRetention {
  /// Removes the journal files of days before `now - keepDays` (UTC); `keepDays` 0 keeps all.
  /// Only names of the form `YYYY-MM-DD.jsonl` are touched: nothing else in the folder is ours.
  /// - Returns: the names removed, oldest first; a file that cannot be removed is skipped
  ///   (and tried again next run).
  @discardableResult
  public static func prune(directory: String, keepDays: Int, now: Date = Date()) -> [String] {
    guard keepDays > 0 else { return [] }
    let oldestKept = Timestamp.day(now.addingTimeInterval(-Double(keepDays) * 86_400)) + ".jsonl"
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    var removed: [String] = []
    for name in names.sorted() where isDayFile(name) && name < oldestKept {
      if (try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(name))) != nil {
        removed.append(name)
      }
    }
    return removed
  }

  /// `YYYY-MM-DD.jsonl`, digits where digits belong.
  static func isDayFile(_ name: String) -> Bool {
    let bytes = Array(name.utf8)
    guard bytes.count == 16, name.hasSuffix(".jsonl") else { return false }
    for (i, byte) in bytes.prefix(10).enumerated() {
      let ok = (i == 4 || i == 7) ? byte == UInt8(ascii: "-") : (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
      if !ok { return false }
    }
    return true
  }
}
