public import Foundation
import SKSystem

/// ISO-8601 timestamps in UTC with milliseconds (`2026-02-17T08:30:00.123Z`), the one format
/// the journal, the catalog and reports use, so they sort as text.
public enum Timestamp {
  public static func string(_ date: Date) -> String {
    let ms = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
    let millis = ms - seconds * 1000
    let parts = UTCTime(secondsSince1970: seconds)
    // Digits written by hand: String(format:) is costly for several stamps per captured link.
    var out: [UInt8] = []
    out.reserveCapacity(24)
    func put(_ value: Int, width: Int) {
      var divisor = 1
      for _ in 1..<width { divisor *= 10 }
      var v = max(0, value)
      while divisor > 0 {
        out.append(UInt8(ascii: "0") + UInt8(v / divisor % 10))
        v %= divisor
        divisor /= 10
      }
    }
    put(parts.year, width: 4)
    out.append(UInt8(ascii: "-"))
    put(parts.month, width: 2)
    out.append(UInt8(ascii: "-"))
    put(parts.day, width: 2)
    out.append(UInt8(ascii: "T"))
    put(parts.hour, width: 2)
    out.append(UInt8(ascii: ":"))
    put(parts.minute, width: 2)
    out.append(UInt8(ascii: ":"))
    put(parts.second, width: 2)
    out.append(UInt8(ascii: "."))
    put(Int(millis), width: 3)
    out.append(UInt8(ascii: "Z"))
    return String(decoding: out, as: UTF8.self)
  }

  /// A time for people: `2026-12-06 02:06 UTC`, the one format every text output uses
  /// (docs/design.md#times-and-sizes); `seconds` adds them (`02:06:09`) where order within a minute
  /// matters (the journal's lines). ISO-8601 stays for JSON, the journal files and the catalog.
  public static func forPeople(_ date: Date) -> String { forPeople(date, seconds: false) }

  public static func forPeople(_ date: Date, seconds: Bool) -> String {
    let iso = string(date)
    return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(seconds ? 8 : 5)) + " UTC"
  }

  /// An ISO-8601 text for people (`forPeople`), or the text unchanged when it is not a time.
  public static func forPeople(_ text: String) -> String { forPeople(text, seconds: false) }

  public static func forPeople(_ text: String, seconds: Bool) -> String {
    parse(text).map { forPeople($0, seconds: seconds) } ?? text
  }

  /// How long ago `date` was, roughly, for people: `just now`, `42 s ago`, `3 min ago`,
  /// `5 h ago`, `2 d ago` (or `in 3 h` for a time ahead).
  public static func age(_ date: Date, now: Date = Date()) -> String {
    let seconds = Int(now.timeIntervalSince(date).rounded())
    let span = abs(seconds)
    let text: String
    switch span {
    case ..<5: return "just now"
    case ..<60: text = "\(span) s"
    case ..<3600: text = "\(span / 60) min"
    case ..<172_800: text = "\(span / 3600) h"
    default: text = "\(span / 86400) d"
    }
    return seconds >= 0 ? text + " ago" : "in " + text
  }

  /// A date as `YYYY-MM-DD` in UTC (journal file names, digest dates from mtimes).
  public static func day(_ date: Date) -> String {
    String(string(date).prefix(10))
  }

  /// Parses what `string(_:)` writes, and ISO-8601 with or without fractional seconds / offset.
  ///
  /// The catalog's own format is read field by field: this runs for every timestamp of every
  /// link a check loads, and an `ISO8601DateFormatter` is costly to make.
  public static func parse(_ text: String) -> Date? {
    if let date = parseOwnFormat(text) { return date }
    let withFraction = ISO8601DateFormatter()
    withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let d = withFraction.date(from: text) { return d }
    let plain = ISO8601DateFormatter()
    plain.formatOptions = [.withInternetDateTime]
    return plain.date(from: text)
  }

  /// `YYYY-MM-DDTHH:MM:SS.mmmZ` or `YYYY-MM-DDTHH:MM:SSZ` (WARC-Date, digest days) exactly, or
  /// nil: `verify` parses one per WARC record and a report one per digest date.
  private static func parseOwnFormat(_ text: String) -> Date? {
    let b = Array(text.utf8)
    let fraction = b.count == 24
    guard b.count == 24 || b.count == 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A,
      fraction ? b[19] == 0x2E && b[23] == 0x5A : b[19] == 0x5A
    else { return nil }
    func number(_ range: Range<Int>) -> Int? {
      var n = 0
      for i in range {
        guard (0x30...0x39).contains(b[i]) else { return nil }
        n = n * 10 + Int(b[i] - 0x30)
      }
      return n
    }
    guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
      let minute = number(14..<16), let second = number(17..<19), let millis = fraction ? number(20..<23) : 0,
      (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
    else { return nil }
    let parts = UTCTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    return Date(timeIntervalSince1970: Double(parts.secondsSince1970) + Double(millis) / 1000)
  }
}
