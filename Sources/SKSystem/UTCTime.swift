import Glibc

/// Calendar fields of an instant in UTC, through `gmtime_r(3)` and `timegm(3)` (proleptic
/// Gregorian calendar, no leap seconds: what ISO-8601 timestamps in the catalog mean).
public struct UTCTime: Sendable, Equatable {
  public var year: Int
  /// 1…12
  public var month: Int
  /// 1…31
  public var day: Int
  public var hour: Int
  public var minute: Int
  public var second: Int

  public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
    self.year = year
    self.month = month
    self.day = day
    self.hour = hour
    self.minute = minute
    self.second = second
  }

  /// The fields of `seconds` since 1970-01-01T00:00:00Z.
  public init(secondsSince1970 seconds: Int64) {
    var t = time_t(seconds)
    var parts = tm()
    gmtime_r(&t, &parts)
    self.init(
      year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday),
      hour: Int(parts.tm_hour), minute: Int(parts.tm_min), second: Int(parts.tm_sec))
  }

  /// Seconds since 1970-01-01T00:00:00Z (out-of-range fields normalise, as `timegm` does).
  public var secondsSince1970: Int64 {
    var parts = tm()
    parts.tm_year = Int32(year - 1900)
    parts.tm_mon = Int32(month - 1)
    parts.tm_mday = Int32(day)
    parts.tm_hour = Int32(hour)
    parts.tm_min = Int32(minute)
    parts.tm_sec = Int32(second)
    return Int64(timegm(&parts))
  }
}
