import Foundation
import Testing

@testable import SourcekeepCore

@Suite struct TimestampTests {
  @Test func writesUTCWithMillisecondsAndReadsItBack() {
    let date = Date(timeIntervalSince1970: 1_771_315_509.007)  // 2026-02-17T08:05:09.007Z
    #expect(Timestamp.string(date) == "2026-02-17T08:05:09.007Z")
    #expect(Timestamp.string(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
    #expect(Timestamp.string(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
    #expect(Timestamp.day(date) == "2026-02-17")
    for seconds in stride(from: 0.0, to: 4_000_000_000, by: 123_456_789.123) {
      let d = Date(timeIntervalSince1970: (seconds * 1000).rounded(.down) / 1000)
      #expect(Timestamp.parse(Timestamp.string(d)).map { abs($0.timeIntervalSince(d)) < 0.001 } == true)
    }
  }
}

/// The fast path for whole seconds (`WARC-Date`, digest days) reads what the formatter reads.
@Suite struct TimestampWholeSecondsTests {
  @Test func wholeSecondsParseWithoutTheFormatter() {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    for text in ["2026-02-17T08:30:00Z", "1999-12-31T23:59:59Z", "2024-02-29T00:00:00Z", "1970-01-01T00:00:00Z"] {
      #expect(Timestamp.parse(text) == formatter.date(from: text), "\(text)")
    }
    #expect(Timestamp.parse("2026-13-17T08:30:00Z") == nil)
    #expect(Timestamp.parse("2026-02-17T08:30:00+08:00") == formatter.date(from: "2026-02-17T08:30:00+08:00"))
  }
}
