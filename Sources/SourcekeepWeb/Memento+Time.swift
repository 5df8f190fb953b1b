import Foundation
import SKSystem
import SourcekeepCore

/// The two time formats of the web view's addresses and headers (docs/design.md#web-view):
/// Wayback's 14-digit timestamps in paths and RFC 1123 dates in `Memento-Datetime`,
/// `Accept-Datetime` and the TimeMap (RFC 7089 §2.1.1).
enum MementoTime {
  /// `20260217080000` for a catalog time `2026-02-17T08:00:00.000Z`.
  static func digits(_ capturedAt: String) -> String {
    String(capturedAt.unicodeScalars.filter { ("0"..."9").contains($0) }.prefix(14).map(Character.init))
  }

  /// The moment a 1–14 digit timestamp names: missing digits are the earliest they can be
  /// (`2026` is 2026-01-01 00:00:00 UTC), out-of-range fields are clamped (month 13 → 12),
  /// as Wayback and pywb read partial timestamps. Nil for anything but 1–14 digits.
  static func date(fromDigits text: some StringProtocol) -> Date? {
    guard (1...14).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
    let padded = String(text) + String("00000101000000".dropFirst(text.count))
    let d = Array(padded.utf8).map { Int($0) - 48 }
    func field(_ from: Int, _ n: Int) -> Int { (from..<(from + n)).reduce(0) { $0 * 10 + d[$1] } }
    let year = max(1, field(0, 4))
    let month = min(max(1, field(4, 2)), 12)
    // Clamped to the month's length (20260231 → 2026-02-28). By hand, not with `Calendar`:
    // every copy request parses one, and Foundation's calendar costs more than the page's banner.
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    let time = UTCTime(
      year: year, month: month, day: min(max(1, field(6, 2)), days), hour: min(field(8, 2), 23),
      minute: min(field(10, 2), 59), second: min(field(12, 2), 59))
    return Date(timeIntervalSince1970: TimeInterval(time.secondsSince1970))
  }

  /// `Tue, 17 Feb 2026 08:00:00 GMT` (RFC 7231 IMF-fixdate), written by hand: a
  /// `DateFormatter` per call costs more than the rest of a Link header.
  static func httpDate(_ date: Date) -> String {
    let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
    let t = UTCTime(secondsSince1970: seconds)
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let weekday = Int(((days % 7) + 10) % 7)  // 1970-01-01 (day 0) was a Thursday (index 3)
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    let names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return "\(names[weekday]), \(two(t.day)) \(months[t.month - 1]) \(t.year) "
      + "\(two(t.hour)):\(two(t.minute)):\(two(t.second)) GMT"
  }

  /// Parses an `Accept-Datetime` value (RFC 1123; RFC 850 and asctime as RFC 7231 allows).
  static func parseHTTPDate(_ text: String) -> Date? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
      formatter.dateFormat = format
      if let date = formatter.date(from: trimmed) { return date }
    }
    return nil
  }

  /// The capture closest to `target` (ties: the earlier one); nil when there is none.
  /// Capture times count in whole seconds, as their 14-digit addresses and HTTP dates name
  /// them: a capture's own timestamp always finds that capture.
  static func nearest(_ mementos: [Memento], to target: Date) -> Memento? {
    var best: (Memento, TimeInterval)?
    for m in mementos {
      let distance = abs(m.date.timeIntervalSince1970.rounded(.down) - target.timeIntervalSince1970)
      if best == nil || distance < best!.1 { best = (m, distance) }
    }
    return best?.0
  }
}
