import Foundation
import SourcekeepCore
import SourcekeepTestSupport
import Testing

/// `[journal] keep_days` is applied by the runs themselves: `ingest now` (and `check now`, and
/// the daemon's scheduled runs, which go through the same `Jobs`) drop older day files and say so.
@Suite struct JournalRetentionCLITests {
  @Test func anIngestRunPrunesDayFilesOlderThanKeepDays() throws {
    let tmp = TempDirectory(prefix: "sk-keep")
    try FileManager.default.createDirectory(atPath: tmp.path + "/digests", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: tmp.path + "/data/journal", withIntermediateDirectories: true)
    _ = tmp.write("digests/2026-02-17.md", "# d 2026年02月17日\n\n## x\n\n> **来源：** [a](https://example.com/a)\n")
    _ = tmp.write(
      "sourcekeep.toml", "[digests]\npaths = [\"digests\"]\n[storage]\ndir = \"data\"\n[journal]\nkeep_days = 30\n")
    let old = Date().addingTimeInterval(-40 * 86_400)
    let recent = Date().addingTimeInterval(-3 * 86_400)
    for day in [old, recent] {
      _ = tmp.write(
        "data/journal/\(Timestamp.day(day)).jsonl", "{\"ts\":\"\(Timestamp.string(day))\",\"event\":\"x\"}\n")
    }
    let run = try CommandRunner(workingDirectory: tmp.path).run(
      ["ingest", "now", "--config", "sourcekeep.toml", "--no-capture"])
    #expect(run.status == 0, "\(run.stderr)")
    let fm = FileManager.default
    #expect(!fm.fileExists(atPath: tmp.path + "/data/journal/\(Timestamp.day(old)).jsonl"))
    #expect(fm.fileExists(atPath: tmp.path + "/data/journal/\(Timestamp.day(recent)).jsonl"))
    let prune = JournalReader(directory: tmp.path + "/data/journal").last("journal.prune")
    #expect(prune?.value?["files"]?.intValue == 1)
    #expect(prune?.value?["keep_days"]?.intValue == 30)
  }
}
