import Foundation
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// The journal is read in 1 MiB chunks, forwards (`journal`) and backwards (`status`): lines
/// that straddle a chunk's edge, and the newest match across files, come out as a whole read
/// would give them.
@Suite struct JournalStreamingTests {
  /// The backward search `status` uses (`JournalReader.lastOccurrence`) against a byte-by-byte
  /// reference, on random bytes from a small alphabet (matches everywhere, overlapping ones too)
  /// with needles that repeat their first byte, and random bounds. A skip one too long misses
  /// matches; a wrong table finds the wrong one.
  @Test func backwardSearchFindsWhatAByteByByteSearchFinds() {
    func reference(_ needle: [UInt8], _ bytes: [UInt8], from: Int, before: Int) -> Int? {
      var i = min(before, bytes.count - needle.count + 1) - 1
      while i >= from {
        if Array(bytes[i..<i + needle.count]) == needle { return i }
        i -= 1
      }
      return nil
    }
    var random = SplitMix64(seed: 0x5EED_1707)
    let alphabet = Array("\"ev:ntru.".utf8)
    var found = 0
    for round in 0..<3_000 {
      let bytes = (0..<Int.random(in: 0...300, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
      let needle: [UInt8] =
        round % 10 == 0
        ? Array("\"event\":\"run.finish\"".utf8)
        : (0..<Int.random(in: 1...6, using: &random)).map { _ in alphabet.randomElement(using: &random)! }
      let from = Int.random(in: 0...max(0, bytes.count / 3), using: &random)
      let before = Int.random(in: from...max(from, bytes.count), using: &random)
      let expected = reference(needle, bytes, from: from, before: before)
      #expect(
        JournalReader.lastOccurrence(of: needle, in: bytes, from: from, before: before) == expected,
        "\(String(decoding: needle, as: UTF8.self)) in \(String(decoding: bytes, as: UTF8.self)) [\(from), \(before))")
      if expected != nil { found += 1 }
    }
    #expect(found > 300, "the cases must exercise matches: \(found)")
  }

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
