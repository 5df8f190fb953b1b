/// Integers, floats, dates and times (toml.io/en/v1.0.0#integer, #float, #offset-date-time).
///
/// The token is taken first (every character a number or date may have), then checked
/// against the grammar as a whole, so a message can quote what was written.
extension TOMLReader {
  private static func isTokenByte(_ byte: UInt8) -> Bool {
    TOMLScanner.isBareKey(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
  }

  mutating func numberOrDate() throws(TOMLError) -> TOMLValue {
    let start = scan.position
    while let byte = scan.peek(), TOMLReader.isTokenByte(byte) { scan.advance() }
    // `1979-05-27 07:32:00`: a space may separate the date and the time.
    if scan.position - start == 10, TOMLReader.isDate(scan.bytes[start..<scan.position]), scan.peek(is: 0x20),
      let h1 = scan.peek(1), let h2 = scan.peek(2), TOMLScanner.isDigit(h1), TOMLScanner.isDigit(h2),
      scan.peek(is: UInt8(ascii: ":"), 3)
    {
      scan.advance()
      while let byte = scan.peek(), TOMLReader.isTokenByte(byte) { scan.advance() }
    }
    let token = Array(scan.bytes[start..<scan.position])
    let text = String(decoding: token, as: UTF8.self)
    if token.count >= 10 && TOMLReader.isDate(token[0..<10]) {
      return try dateTime(token, text, start)
    }
    if token.count >= 3 && token[2] == UInt8(ascii: ":") && TOMLScanner.isDigit(token[0]) {
      guard let (time, end) = TOMLReader.time(token, from: 0), end == token.count else {
        throw scan.error("'\(text)' is not a valid time; write HH:MM:SS with an optional fraction", at: start)
      }
      return .localTime(try checked(time, text, start))
    }
    return try number(token, text, start)
  }

  // MARK: Numbers

  private func number(_ token: [UInt8], _ text: String, _ start: Int) throws(TOMLError) -> TOMLValue {
    switch text {
    case "inf", "+inf": return .float(.infinity)
    case "-inf": return .float(-.infinity)
    case "nan", "+nan": return .float(.nan)
    case "-nan": return .float(-.nan)
    default: break
    }
    func invalid(_ why: String) -> TOMLError {
      scan.error("'\(text)' is not a valid number: \(why)", at: start)
    }
    guard let first = token.first else { throw invalid("it is empty") }
    if first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z") {
      throw scan.error(
        "expected a value, found unquoted text '\(text)'; put strings in quotes (\"…\") and write booleans as "
          + "true or false", at: start)
    }
    let signed = token[0] == UInt8(ascii: "+") || token[0] == UInt8(ascii: "-")
    let body = signed ? token[1...] : token[...]
    if body.count >= 2 && body.first == UInt8(ascii: "0"),
      let radix = [UInt8(ascii: "x"): 16, UInt8(ascii: "o"): 8, UInt8(ascii: "b"): 2][body[body.startIndex + 1]]
    {
      if signed { throw invalid("hexadecimal, octal and binary integers cannot have a sign") }
      return .integer(try prefixedInteger(body.dropFirst(2), radix: radix, invalid))
    }
    // Decimal: an integer part without leading zeros, then an optional fraction and exponent.
    var index = body.startIndex
    let integerEnd = try TOMLReader.digitRun(body, from: index, invalid)
    if body[index] == UInt8(ascii: "0") && integerEnd - index > 1 {
      throw invalid("leading zeros are not allowed (write 0o… for an octal number)")
    }
    index = integerEnd
    var isFloat = false
    if index < body.endIndex && body[index] == UInt8(ascii: ".") {
      isFloat = true
      guard index + 1 < body.endIndex, TOMLScanner.isDigit(body[index + 1]) else {
        throw invalid("a decimal point needs digits on both sides")
      }
      index = try TOMLReader.digitRun(body, from: index + 1, invalid)
    }
    if index < body.endIndex && (body[index] == UInt8(ascii: "e") || body[index] == UInt8(ascii: "E")) {
      isFloat = true
      index += 1
      if index < body.endIndex && (body[index] == UInt8(ascii: "+") || body[index] == UInt8(ascii: "-")) { index += 1 }
      guard index < body.endIndex, TOMLScanner.isDigit(body[index]) else {
        throw invalid("an exponent needs digits after the 'e'")
      }
      index = try TOMLReader.digitRun(body, from: index, invalid)
    }
    guard index == body.endIndex else {
      throw invalid("unexpected '\(String(decoding: body[index...index], as: UTF8.self))'")
    }
    let digits = String(decoding: token.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
    if isFloat {
      guard let value = Double(digits) else { throw invalid("not a floating-point number") }
      return .float(value)
    }
    guard let value = Int64(digits) else {
      throw invalid("integers must be from -9223372036854775808 to 9223372036854775807")
    }
    return .integer(value)
  }

  /// Digits (`isDigit`) with single underscores between them; returns where the run ends.
  private static func digitRun(
    _ bytes: ArraySlice<UInt8>, from start: Int, _ invalid: (String) -> TOMLError,
    isDigit: (UInt8) -> Bool = TOMLScanner.isDigit
  ) throws(TOMLError) -> Int {
    guard start < bytes.endIndex, isDigit(bytes[start]) else {
      throw invalid(
        start < bytes.endIndex && bytes[start] == UInt8(ascii: "_")
          ? "an underscore must stand between two digits" : "digits expected")
    }
    var index = start + 1
    while index < bytes.endIndex {
      let byte = bytes[index]
      if isDigit(byte) {
        index += 1
      } else if byte == UInt8(ascii: "_") {
        guard index + 1 < bytes.endIndex, isDigit(bytes[index + 1]) else {
          throw invalid("an underscore must stand between two digits")
        }
        index += 2
      } else {
        break
      }
    }
    return index
  }

  /// `0x…`, `0o…`, `0b…` (no sign; leading zeros allowed after the prefix), within Int64.
  private func prefixedInteger(
    _ digits: ArraySlice<UInt8>, radix: Int, _ invalid: (String) -> TOMLError
  ) throws(TOMLError) -> Int64 {
    let isDigit: (UInt8) -> Bool = { byte in
      switch radix {
      case 16: return TOMLScanner.isHexDigit(byte)
      case 8: return byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "7")
      default: return byte == UInt8(ascii: "0") || byte == UInt8(ascii: "1")
      }
    }
    if let first = digits.first, first != UInt8(ascii: "_"), !isDigit(first) {
      throw invalid("'\(String(decoding: digits.prefix(1), as: UTF8.self))' is not a base-\(radix) digit")
    }
    let end = try TOMLReader.digitRun(digits, from: digits.startIndex, invalid, isDigit: isDigit)
    guard end == digits.endIndex else {
      throw invalid("'\(String(decoding: digits[end...end], as: UTF8.self))' is not a base-\(radix) digit")
    }
    var value: Int64 = 0
    for byte in digits where byte != UInt8(ascii: "_") {
      let (shifted, overflow1) = value.multipliedReportingOverflow(by: Int64(radix))
      let (sum, overflow2) = shifted.addingReportingOverflow(Int64(TOMLScanner.hexValue(byte)))
      if overflow1 || overflow2 { throw invalid("integers must be at most 9223372036854775807") }
      value = sum
    }
    return value
  }

  // MARK: Dates and times

  /// `YYYY-MM-DD` by shape (the values are checked later).
  private static func isDate(_ bytes: ArraySlice<UInt8>) -> Bool {
    guard bytes.count == 10 else { return false }
    for (offset, byte) in bytes.enumerated() {
      let ok = offset == 4 || offset == 7 ? byte == UInt8(ascii: "-") : TOMLScanner.isDigit(byte)
      if !ok { return false }
    }
    return true
  }

  private static func number(_ bytes: [UInt8], _ from: Int, _ count: Int) -> Int {
    var value = 0
    for byte in bytes[from..<from + count] { value = value * 10 + Int(byte - UInt8(ascii: "0")) }
    return value
  }

  /// `HH:MM:SS[.fraction]` starting at `from`: the time and where it ends (not range-checked).
  private static func time(_ bytes: [UInt8], from: Int) -> (TOMLTime, Int)? {
    guard bytes.count >= from + 8 else { return nil }
    for offset in [0, 1, 3, 4, 6, 7] where !TOMLScanner.isDigit(bytes[from + offset]) { return nil }
    guard bytes[from + 2] == UInt8(ascii: ":") && bytes[from + 5] == UInt8(ascii: ":") else { return nil }
    var time = TOMLTime(
      hour: number(bytes, from, 2), minute: number(bytes, from + 3, 2), second: number(bytes, from + 6, 2),
      nanosecond: 0)
    var end = from + 8
    if end < bytes.count && bytes[end] == UInt8(ascii: ".") {
      end += 1
      let digitsStart = end
      while end < bytes.count && TOMLScanner.isDigit(bytes[end]) { end += 1 }
      guard end > digitsStart else { return nil }
      // Precision beyond nanoseconds is cut off, as TOML allows.
      var nanos = 0
      for index in 0..<9 {
        let digit = digitsStart + index < end ? Int(bytes[digitsStart + index] - UInt8(ascii: "0")) : 0
        nanos = nanos * 10 + digit
      }
      time.nanosecond = nanos
    }
    return (time, end)
  }

  private func checked(_ time: TOMLTime, _ text: String, _ start: Int) throws(TOMLError) -> TOMLTime {
    guard time.hour <= 23, time.minute <= 59, time.second <= 59 else {
      throw scan.error("'\(text)' is not a valid time: hours go to 23, minutes and seconds to 59", at: start)
    }
    return time
  }

  private func dateTime(_ token: [UInt8], _ text: String, _ start: Int) throws(TOMLError) -> TOMLValue {
    let date = TOMLDate(
      year: TOMLReader.number(token, 0, 4), month: TOMLReader.number(token, 5, 2), day: TOMLReader.number(token, 8, 2))
    guard (1...12).contains(date.month), (1...TOMLReader.daysIn(date.month, of: date.year)).contains(date.day) else {
      throw scan.error("'\(String(text.prefix(10)))' is not a date that exists (YYYY-MM-DD)", at: start)
    }
    if token.count == 10 { return .localDate(date) }
    let shape = "write YYYY-MM-DDTHH:MM:SS with an optional fraction and an optional Z or ±HH:MM offset"
    let separator = token[10]
    guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == 0x20,
      let (rawTime, end) = TOMLReader.time(token, from: 11)
    else { throw scan.error("'\(text)' is not a valid date-time; \(shape)", at: start) }
    let time = try checked(rawTime, text, start)
    let rest = token[end...]
    if rest.isEmpty { return .localDateTime(date, time) }
    if rest.count == 1 && (rest.first == UInt8(ascii: "Z") || rest.first == UInt8(ascii: "z")) {
      return .offsetDateTime(date, time, offsetMinutes: 0)
    }
    let sign = rest.first
    guard rest.count == 6, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"),
      TOMLReader.isDigits(rest, [1, 2, 4, 5]), rest[end + 3] == UInt8(ascii: ":")
    else { throw scan.error("'\(text)' is not a valid date-time; \(shape)", at: start) }
    let hours = TOMLReader.number(token, end + 1, 2)
    let minutes = TOMLReader.number(token, end + 4, 2)
    guard hours <= 23 && minutes <= 59 else {
      throw scan.error("'\(text)' has an offset out of range (-23:59 to +23:59)", at: start)
    }
    let offset = hours * 60 + minutes
    return .offsetDateTime(date, time, offsetMinutes: sign == UInt8(ascii: "-") ? -offset : offset)
  }

  private static func isDigits(_ bytes: ArraySlice<UInt8>, _ offsets: [Int]) -> Bool {
    offsets.allSatisfy { TOMLScanner.isDigit(bytes[bytes.startIndex + $0]) }
  }

  static func daysIn(_ month: Int, of year: Int) -> Int {
    switch month {
    case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }
}
