import Foundation
import Testing

@testable import SourcekeepCore

/// The reader of the catalog's stored CDXJ blocks (`CDXJFields`) gives back exactly what
/// `IndexedRecord.json` wrote, escapes and non-ASCII included, and refuses what it does not
/// expect (the caller then asks Foundation).
@Suite struct CDXJFieldsTests {
  @Test func readsBackWhatTheIndexWrites() throws {
    let hostile = "https://例子.测试/a?q=\"x\"&b=\\c\n\t\u{1}é😀/\u{202E}"
    let record = IndexedRecord(
      type: "response", surt: "x", timestamp: "20260217080000",
      fields: [("url", hostile), ("mime", "text/html"), ("status", "200"), ("digest", "sha1:ABC")])
    let json = record.json(at: WARCFile.Location(file: "warc/a.warc.gz", offset: 12, length: 345))
    let parsed = try #require(CDXJFields.parse(json))
    #expect(parsed.map(\.0) == ["url", "mime", "status", "digest", "length", "offset", "filename"])
    #expect(parsed.map(\.1) == [hostile, "text/html", "200", "sha1:ABC", "345", "12", "a.warc.gz"])
    // The same answer as Foundation's parser.
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String])
    for (key, value) in parsed { #expect(object[key] == value, "\(key)") }
  }

  @Test func refusesWhatIsNotAFlatObjectOfStrings() {
    #expect(CDXJFields.parse("{}")?.isEmpty == true)
    #expect(CDXJFields.parse(" { \"a\" : \"b\" } ")?.first?.1 == "b")
    for bad in [
      "", "[]", "{\"a\": 1}", "{\"a\": {\"b\": \"c\"}}", "{\"a\": \"b\"", "{\"a\": \"b\"} x", "{\"a\" \"b\"}",
      "{\"a\": \"\\q\"}", "{\"a\": \"\\u12\"}", "{\"a\": \"b\",}",
    ] {
      #expect(CDXJFields.parse(bad) == nil, "\(bad)")
    }
  }

  @Test func aStoredTextsLengthIsReadFromItsTrailer() throws {
    for text in ["", "short", String(repeating: "长文本", count: 20_000)] {
      let blob = try SnapshotBody.encode(text)
      #expect(SnapshotBody.textLength(blob) == text.utf8.count)
    }
    #expect(SnapshotBody.textLength(Data([1, 2, 3])) == nil)
  }
}
