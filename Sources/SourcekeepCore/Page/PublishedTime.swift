import Foundation

/// Normalises publish times to ISO-8601 with an explicit offset (docs/design.md#extract).
///
/// WeChat gives unix seconds and means China time, so those render in `+08:00`; other
/// sources are kept in the offset they state (a `Z` stays `Z`).
enum PublishedTime {
  /// Unix seconds rendered as `yyyy-MM-dd'T'HH:mm:ss+08:00`.
  static func chinaTime(unixSeconds: Int) -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
    f.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxx"
    return f.string(from: Date(timeIntervalSince1970: TimeInterval(unixSeconds)))
  }

  /// An ISO-8601-like date string in canonical form, or nil if it is not one.
  /// `2026-02-16T10:32:45+08:00` stays; `+0800` becomes `+08:00`; a space between date and
  /// time becomes `T`; fractional seconds are dropped; a bare date stays a bare date.
  static func normalise(_ raw: String) -> String? {
    let s = raw.trimming(" \t\r\n")
    let chars = Array(s)
    guard chars.count >= 10, chars[4] == "-", chars[7] == "-",
      chars[0..<4].allSatisfy(\.isNumber), chars[5..<7].allSatisfy(\.isNumber), chars[8..<10].allSatisfy(\.isNumber)
    else { return nil }
    let date = String(chars[0..<10])
    if chars.count == 10 { return date }
    guard chars[10] == "T" || chars[10] == " ", chars.count >= 16 else { return date }
    var rest = chars[11...]
    let hhmm = String(rest.prefix(5))
    guard hhmm.count == 5, Array(hhmm)[2] == ":" else { return date }
    rest = rest.dropFirst(5)
    var seconds = ":00"
    if rest.first == ":" {
      seconds = String(rest.prefix(3))
      rest = rest.dropFirst(3)
    }
    if rest.first == "." || rest.first == "," { rest = rest.drop(while: { $0 == "." || $0 == "," || $0.isNumber }) }
    rest = rest.drop { $0 == " " }
    var zone = String(rest)
    if zone == "Z" || zone == "z" || zone.uppercased() == "UTC" || zone.uppercased() == "GMT" {
      zone = "Z"
    } else if zone.count == 5, zone.first == "+" || zone.first == "-", zone.dropFirst().allSatisfy(\.isNumber) {
      zone = String(zone.prefix(3)) + ":" + String(zone.suffix(2))
    } else if zone.count == 6, zone.first == "+" || zone.first == "-" {
      // already +HH:MM
    } else {
      zone = ""
    }
    return date + "T" + hhmm + seconds + zone
  }
}
