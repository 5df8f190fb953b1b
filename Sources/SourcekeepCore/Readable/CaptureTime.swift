public import Foundation

/// The times `show --at` and the web view's `/web/<timestamp>/` accept (docs/design.md#show).
public enum CaptureTime {
  /// An ISO-8601 time (`2026-02-17T08:00:00Z`, with an offset or fractional seconds), an
  /// ISO-8601 day (`2026-02-17`, midnight UTC), or 1–14 Wayback digits (`2026`, `20260217`,
  /// `20260217080000`): missing digits read as the start of the period, as the Wayback Machine does.
  public static func parse(_ text: String) -> Date? {
    let t = text.trimmingCharacters(in: .whitespaces)
    if !t.isEmpty, t.count <= 14, t.allSatisfy({ $0.isASCII && $0.isNumber }) { return wayback(t) }
    if let date = Timestamp.parse(t) { return date }
    if t.count == 10, let day = Timestamp.parse(t + "T00:00:00Z") { return day }
    return nil
  }

  /// 1–14 digits, padded to `yyyyMMddHHmmss` with the period's start (`2026` → 2026-01-01 00:00:00 UTC).
  static func wayback(_ digits: String) -> Date? {
    let padded = Array(digits + String("00000101000000".dropFirst(digits.count)))
    func n(_ r: Range<Int>) -> Int { Int(String(padded[r])) ?? 0 }
    var c = DateComponents()
    (c.year, c.month, c.day, c.hour, c.minute, c.second) = (
      n(0..<4), n(4..<6), n(6..<8), n(8..<10), n(10..<12), n(12..<14)
    )
    guard (1...12).contains(c.month ?? 0), (1...31).contains(c.day ?? 0), (c.hour ?? 0) < 24, (c.minute ?? 0) < 60,
      (c.second ?? 0) < 61
    else { return nil }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return calendar.date(from: c)
  }

  /// `yyyyMMddHHmmss` in UTC, the Wayback form of a capture time.
  public static func wayback(_ date: Date) -> String {
    Timestamp.string(date).prefix(19).filter { $0.isNumber }
  }
}
