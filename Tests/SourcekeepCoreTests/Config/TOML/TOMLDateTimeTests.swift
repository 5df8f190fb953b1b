import Testing

@testable import SourcekeepCore

/// Offset and local date-times, local dates and times, with their ranges
/// (toml.io/en/v1.0.0#offset-date-time … #local-time).
@Suite struct TOMLDateTimeTests {
  static let date = TOMLDate(year: 1979, month: 5, day: 27)

  @Test func kindsAndFields() throws {
    let time = TOMLTime(hour: 7, minute: 32, second: 0, nanosecond: 0)
    #expect(try TOML.value("v = 1979-05-27T07:32:00Z") == .offsetDateTime(Self.date, time, offsetMinutes: 0))
    #expect(try TOML.value("v = 1979-05-27 07:32:00z") == .offsetDateTime(Self.date, time, offsetMinutes: 0))
    #expect(try TOML.value("v = 1979-05-27t07:32:00-07:30") == .offsetDateTime(Self.date, time, offsetMinutes: -450))
    #expect(try TOML.value("v = 1979-05-27T07:32:00") == .localDateTime(Self.date, time))
    #expect(try TOML.value("v = 1979-05-27") == .localDate(Self.date))
    #expect(try TOML.value("v = 07:32:00") == .localTime(time))
    #expect(try TOML.value("v = 1979-05-27 # a date, then a comment") == .localDate(Self.date))
  }

  @Test func fractionsAreKeptToNanoseconds() throws {
    #expect(
      try TOML.value("v = 00:32:00.5") == .localTime(TOMLTime(hour: 0, minute: 32, second: 0, nanosecond: 500_000_000)))
    #expect(
      try TOML.value("v = 00:32:00.123456789987")
        == .localTime(TOMLTime(hour: 0, minute: 32, second: 0, nanosecond: 123_456_789)))
  }

  @Test func leapDays() throws {
    #expect(try TOML.value("v = 2024-02-29") == .localDate(TOMLDate(year: 2024, month: 2, day: 29)))
    #expect(try TOML.value("v = 2000-02-29") == .localDate(TOMLDate(year: 2000, month: 2, day: 29)))
    #expect(TOML.error("v = 2023-02-29") != nil)
    #expect(TOML.error("v = 1900-02-29") != nil)
  }

  @Test(arguments: [
    "1979-13-01", "1979-00-10", "1979-04-31", "1979-05-00", "1979-05-27T24:00:00", "1979-05-27T23:60:00",
    "1979-05-27T23:59:60", "1979-05-27T07:32", "1979-05-27T07:32:00.", "1979-05-27T07:32:00+24:00",
    "1979-05-27T07:32:00+07:60", "1979-05-27T07:32:00+0700", "1979-05-27T07:32:00Z1", "1979-05-27X07:32:00",
    "1979-5-27", "79-05-27", "7:32:00", "07:32", "25:00:00", "07:32:00Z", "1979-05-27 07:32", "1979-05-27T",
  ])
  func invalidDatesAndTimes(_ text: String) throws {
    let error = try #require(TOML.error("v = \(text)"), "\(text)")
    #expect(error.line == 1, "\(error)")
  }
}
