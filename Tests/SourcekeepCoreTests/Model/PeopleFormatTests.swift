import Foundation
import Testing

@testable import SourcekeepCore

/// One rule for sizes and times in text for people (docs/design.md#times-and-sizes).
@Suite struct PeopleFormatTests {
  @Test func sizesUseOneDecimalAnd1024BasedUnits() {
    #expect(ByteSize.forPeople(0) == "0 B")
    #expect(ByteSize.forPeople(1023) == "1023 B")
    #expect(ByteSize.forPeople(1024) == "1.0 KiB")
    #expect(ByteSize.forPeople(11 * 1024 + 300) == "11.3 KiB", "not 0.0 MB for 11 KB")
    #expect(ByteSize.forPeople(1_048_575) == "1.0 MiB", "rounding up to 1024 KiB moves to the next unit")
    #expect(ByteSize.forPeople(Int64(3) << 30 + Int64(1) << 29) == "3.5 GiB")
  }

  @Test func timesAreMinutesInUTCAndAgesAreRough() throws {
    let date = try #require(Timestamp.parse("2026-12-06T08:15:42.123Z"))
    #expect(Timestamp.forPeople(date) == "2026-12-06 08:15 UTC")
    #expect(Timestamp.forPeople(date, seconds: true) == "2026-12-06 08:15:42 UTC")
    #expect(Timestamp.forPeople("2026-12-06T16:15:00+08:00") == "2026-12-06 08:15 UTC", "other offsets become UTC")
    #expect(Timestamp.forPeople("not a time") == "not a time")
    #expect(ReportTime.short("2026-12-06T08:15:42.123Z") == "2026-12-06 08:15 UTC")
    #expect(Timestamp.age(date, now: date.addingTimeInterval(2)) == "just now")
    #expect(Timestamp.age(date, now: date.addingTimeInterval(42)) == "42 s ago")
    #expect(Timestamp.age(date, now: date.addingTimeInterval(3 * 3600 + 59)) == "3 h ago")
    #expect(Timestamp.age(date, now: date.addingTimeInterval(-7200)) == "in 2 h")
    #expect(Timestamp.age(date, now: date.addingTimeInterval(5 * 86400)) == "5 d ago")
  }
}
