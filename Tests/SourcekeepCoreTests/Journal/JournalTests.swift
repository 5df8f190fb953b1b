import Foundation
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

@Suite struct JournalTests {
  let dir = TempDirectory()

  @Test func eventsAreWholeJSONLinesWithTimestampEventAndRun() throws {
    let journal = Journal(directory: dir.path + "/journal")
    let at = Date(timeIntervalSince1970: 1_771_315_200.123)  // 2026-02-17T08:00:00.123Z
    journal.record(
      "digest.read", [("digest", "2026-02-17.md"), ("entries", 10), ("note", "line\nbreak \"q\"")], at: at)
    let text = try String(contentsOfFile: dir.path + "/journal/2026-02-17.jsonl", encoding: .utf8)
    #expect(text.hasSuffix("\n"))
    #expect(text.split(separator: "\n").count == 1)
    #expect(text.hasPrefix(#"{"ts":"2026-02-17T08:00:00.123Z","event":"digest.read","run":"r-"#))
    let value = try #require(JSONValue.parse(String(text.dropLast())))
    #expect(value["entries"] == 10)
    #expect(value["note"] == "line\nbreak \"q\"")
    #expect(value["run"]?.stringValue == journal.runID)
  }

  @Test func filesRotateByUTCDay() {
    let journal = Journal(directory: dir.path)
    journal.record("a", at: Date(timeIntervalSince1970: 1_771_286_399))  // 2026-02-16T23:59:59Z
    journal.record("b", at: Date(timeIntervalSince1970: 1_771_286_400))  // 2026-02-17T00:00:00Z
    let reader = JournalReader(directory: dir.path)
    #expect(reader.files().map { ($0 as NSString).lastPathComponent } == ["2026-02-16.jsonl", "2026-02-17.jsonl"])
    #expect(reader.lines().map(\.event) == ["a", "b"])
    #expect(reader.lines(since: Date(timeIntervalSince1970: 1_771_286_400)).map(\.event) == ["b"])
    #expect(reader.last("a")?.event == "a")
  }

  @Test func concurrentWritersNeverInterleaveLines() async throws {
    let path = dir.path + "/j"
    // Eight writers (separate Journal values, so separate descriptors), long lines.
    let payload = String(repeating: "来源x", count: 600)
    await withTaskGroup(of: Void.self) { group in
      for writer in 0..<8 {
        group.addTask {
          let journal = Journal(directory: path, runID: "w\(writer)")
          for i in 0..<250 {
            journal.record("capture", [("i", .int(Int64(i))), ("payload", .string(payload))])
          }
        }
      }
    }
    let lines = JournalReader(directory: path).lines()
    #expect(lines.count == 2000)
    #expect(lines.allSatisfy { $0.value?["payload"]?.stringValue == payload })
    for writer in 0..<8 {
      let mine = lines.filter { $0.value?["run"]?.stringValue == "w\(writer)" }.compactMap { $0.value?["i"]?.intValue }
      #expect(mine == Array(0..<250))
    }
  }

  @Test func followSeesLinesAppendedAfterItStarts() async throws {
    let journal = Journal(directory: dir.path)
    journal.record("before")
    let reader = JournalReader(directory: dir.path)
    let writer = Task {
      try await Task.sleep(for: .milliseconds(300))
      journal.record("after-1")
      journal.record("after-2")
    }
    var seen: [String] = []
    await reader.follow(interval: .milliseconds(50)) { line in
      seen.append(line.event ?? "?")
      return seen.count < 2
    }
    try await writer.value
    #expect(seen == ["after-1", "after-2"])
  }

  @Test func humanFormatShowsTimeEventAndFields() {
    let line = JournalReader.Line(
      raw: "", value: JSONValue.parse(#"{"ts":"2026-02-17T08:00:00.000Z","event":"error","path":"/a b.md","n":3}"#))
    let text = JournalReader.human(line)
    #expect(text.hasPrefix("2026-02-17 08:00:00 UTC  error"))
    #expect(text.contains(#"path="/a b.md""#))
    #expect(text.contains("n=3"))
  }
}
