import Foundation
import Testing

@testable import SourcekeepCore

/// A package's index line is the record's store line with its place moved: built from the
/// stored block's bytes when it is spelled as `IndexedRecord.json` spells it, read back and
/// written anew when it is not, and in both cases the line `IndexedRecord.line` writes.
@Suite struct PackageIndexTests {
  let hostile = "https://例子.测试/a?q=\"x\"&b=\\c\n\t\u{1}é😀/\u{202E}"

  func entry(_ url: String, surt: String) -> IndexedRecord {
    IndexedRecord(
      type: "response", surt: surt, timestamp: "20260217080000",
      fields: [("url", url), ("mime", "text/html"), ("status", "200"), ("digest", "sha1:ABC")])
  }

  func record(_ entry: IndexedRecord, json: String?, offset: Int64 = 5_000, length: Int64 = 345) -> ExportRecord {
    ExportRecord(
      file: "warc/sourcekeep-1.warc.gz", offset: offset, length: length, surt: entry.surt,
      timestamp: entry.timestamp, json: json)
  }

  func lines(_ index: PackageIndex) -> [String] {
    var bytes: [UInt8] = []
    index.forEachPiece { bytes += $0 }
    #expect(bytes.count == index.size)
    return String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
      .dropLast().map(String.init)
  }

  @Test func aStoredLineMovesToItsPlaceInThePackage() {
    var index = PackageIndex()
    var expected: [String] = []
    for (n, url) in ["http://b.example/x", hostile, "http://a.example/é"].enumerated() {
      let e = entry(url, surt: "surt-\(2 - n)")
      let stored = WARCFile.Location(file: "warc/sourcekeep-1.warc.gz", offset: 5_000 + Int64(n), length: 345)
      let r = record(e, json: e.json(at: stored), offset: stored.offset)
      #expect(index.add(r, at: 120 + Int64(n), in: "sourcekeep-1.warc.gz") == url)
      expected.append(e.line(at: WARCFile.Location(file: "sourcekeep-1.warc.gz", offset: 120 + Int64(n), length: 345))!)
    }
    #expect(lines(index) == expected)
    index.sort()
    #expect(lines(index) == expected.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    #expect(lines(index).first?.hasPrefix("surt-0 ") == true)
  }

  @Test func aBlockSpelledAnotherWayIsWrittenAnew() throws {
    let e = entry(hostile, surt: "k")
    let moved = e.line(at: WARCFile.Location(file: "sourcekeep-1.warc.gz", offset: 77, length: 345))!
    let compact = try JSONSerialization.data(
      withJSONObject: ["url": hostile, "mime": "text/html", "status": "200", "digest": "sha1:ABC", "offset": "5000"])
    let others = [
      // Another writer's spacing and member order; a stored place that is not the record's.
      String(decoding: compact, as: UTF8.self),
      e.json(at: WARCFile.Location(file: "warc/sourcekeep-1.warc.gz", offset: 4_999, length: 345)),
      e.json(at: WARCFile.Location(file: "warc/other.warc.gz", offset: 5_000, length: 345)),
    ]
    for json in others {
      var index = PackageIndex()
      #expect(index.add(record(e, json: json), at: 77, in: "sourcekeep-1.warc.gz") == hostile)
      #expect(lines(index) == [moved], "\(json)")
    }
  }

  @Test func recordsAnIndexLeavesOutAddNoLine() {
    var index = PackageIndex()
    let request = ExportRecord(file: "warc/a.warc.gz", offset: 0, length: 10, surt: nil, timestamp: "", json: nil)
    #expect(index.add(request, at: 0, in: "a.warc.gz") == nil)
    #expect(index.size == 0)
    #expect(lines(index).isEmpty)
  }
}
