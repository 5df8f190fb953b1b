import Foundation
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// `journal.keep_days`: files of older days go, today's and the kept days' stay, and nothing
/// that is not a journal day file is touched.
@Suite struct JournalRetentionTests {
  @Test func prunesDaysOlderThanKeepDaysOnly() throws {
    let dir = TempDirectory()
    let journal = Journal(directory: dir.path, runID: "r-test")
    let now = Timestamp.parse("2026-05-20T12:00:00Z")!
    // One event a day for 120 days: the daily rotation gives 120 files.
    for day in 0..<120 { journal.record("check", at: now.addingTimeInterval(-Double(day) * 86_400)) }
    _ = dir.write("notes.txt", "mine")
    _ = dir.write("2026-01-01.jsonl.bak", "mine")
    let reader = JournalReader(directory: dir.path)
    #expect(reader.files().count == 120)

    #expect(JournalRetention.prune(directory: dir.path, keepDays: 0, now: now).isEmpty)
    let removed = JournalRetention.prune(directory: dir.path, keepDays: 90, now: now)
    #expect(removed.count == 29)
    #expect(removed.first == "2026-01-21.jsonl" && removed.last == "2026-02-18.jsonl")
    let kept = reader.files().map { ($0 as NSString).lastPathComponent }
    #expect(kept.count == 91)
    #expect(kept.first == "2026-02-19.jsonl" && kept.last == "2026-05-20.jsonl")
    #expect(FileManager.default.fileExists(atPath: dir.path + "/notes.txt"))
    #expect(FileManager.default.fileExists(atPath: dir.path + "/2026-01-01.jsonl.bak"))
    // Again: nothing more to do.
    #expect(JournalRetention.prune(directory: dir.path, keepDays: 90, now: now).isEmpty)
  }
}
