import Foundation
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// The journal is read in 1 MiB chunks, forwards (`journal`) and backwards (`status`): lines
/// that straddle a chunk's edge, and the newest match across files, come out as a whole read
/// would give them.
@Suite struct JournalStreamingTests {
  @Test func chunkedReadsEqualAWholeRead() throws {
    let dir = TempDirectory()
    let journal = Journal(directory: dir.path, runID: "r-test")
    let day1 = Timestamp.parse("2026-02-16T10:00:00Z")!
    let day2 = Timestamp.parse("2026-02-17T10:00:00Z")!
    // ~3 MB on day 2: lines of varying length, so line ends fall anywhere against the chunks.
    journal.record("run.finish", [("command", .string("check")), ("n", .int(1))], at: day1)
    journal.record("run.finish", [("command", .string("ingest")), ("n", .int(2))], at: day1)
    for i in 0..<24_000 {
      let padding = String(repeating: "链", count: i % 37)
      journal.record("check", [("url", .string("https://e.example/\(i)")), ("p", .string(padding))], at: day2)
      if i == 9_000 { journal.record("run.finish", [("command", .string("check")), ("n", .int(3))], at: day2) }
    }
    let reader = JournalReader(directory: dir.path)
    var whole: [String] = []
    for file in reader.files() {
      whole += try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
    }
    #expect(try FileManager.default.attributesOfItem(atPath: reader.files()[1])[.size] as! Int > 2 << 20)
    #expect(reader.lines().map(\.raw) == whole)

    let check = reader.last(containing: "\"event\":\"run.finish\"") {
      $0.value?["command"]?.stringValue == "check"
    }
    #expect(check?.value?["n"]?.intValue == 3)
    let ingest = reader.last(containing: "\"event\":\"run.finish\"") {
      $0.value?["command"]?.stringValue == "ingest"
    }
    #expect(ingest?.value?["n"]?.intValue == 2)
    // Not before `since`'s day.
    #expect(reader.last(since: day2, containing: "ingest") { $0.event == "run.finish" } == nil)
    #expect(reader.last("check")?.raw == whole.last)
    #expect(reader.last("check")?.value?["url"]?.stringValue == "https://e.example/23999")
  }
}
