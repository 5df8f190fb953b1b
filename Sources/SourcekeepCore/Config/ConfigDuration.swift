import Foundation

/// A duration written the way operators write them: `90s`, `15m`, `24h`, `7d`.
///
/// Kept as whole seconds plus the text it came from, so `config check` can print it back
/// the way it was written.
public struct ConfigDuration: Sendable, Equatable, CustomStringConvertible {
  /// Whole seconds.
  public var seconds: Int64

  public init(seconds: Int64) { self.seconds = seconds }

  /// Parses `<number><unit>` with unit `s`, `m`, `h` or `d` (several parts allowed: `1h30m`).
  /// Returns nil for anything else, including a bare number, so the error can name the key.
  public init?(parsing text: String) {
    let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
    var total: Int64 = 0
    var digits = ""
    var sawPart = false
    for ch in text.trimmingCharacters(in: .whitespaces) {
      if ch.isASCII, ch.isNumber {
        digits.append(ch)
      } else if let unit = units[ch], let n = Int64(digits) {
        let (part, o1) = n.multipliedReportingOverflow(by: unit)
        let (sum, o2) = total.addingReportingOverflow(part)
        if o1 || o2 { return nil }
        total = sum
        digits = ""
        sawPart = true
      } else {
        return nil
      }
    }
    guard sawPart, digits.isEmpty else { return nil }
    self.seconds = total
  }

  /// The shortest exact spelling: `7d`, `24h`→`1d`, `90s`→`90s`, `1h30m`.
  public var description: String {
    if seconds == 0 { return "0s" }
    var rest = seconds
    var out = ""
    for (unit, size) in [("d", Int64(86400)), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
      let n = rest / size
      if rest % size == 0 || unit == "s" || n > 0 {
        out += "\(n)\(unit)"
        rest -= n * size
      }
    }
    return out
  }

  /// The duration as a `Duration`, for timers.
  public var duration: Duration { .seconds(seconds) }
}
