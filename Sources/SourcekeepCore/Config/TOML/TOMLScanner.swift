/// A cursor over the document's UTF-8 bytes, with the character classes TOML's grammar names.
///
/// The reader works on bytes, not `Character`s: TOML is defined on code points, `"\r\n"` and a
/// combining mark after `[` are single `Character`s (both hid table headers from the old
/// pre-check, fuzz/crashes/README.md), and byte indexing keeps every step O(1).
struct TOMLScanner {
  let bytes: [UInt8]
  var position = 0

  init(_ bytes: [UInt8]) {
    self.bytes = bytes
  }

  var atEnd: Bool { position >= bytes.count }

  /// The byte `offset` places ahead, or nil past the end.
  func peek(_ offset: Int = 0) -> UInt8? {
    let index = position + offset
    return index < bytes.count ? bytes[index] : nil
  }

  func peek(is byte: UInt8, _ offset: Int = 0) -> Bool { peek(offset) == byte }

  /// True when the bytes at the cursor are `literal`.
  func looking(at literal: [UInt8]) -> Bool {
    guard position + literal.count <= bytes.count else { return false }
    for (i, byte) in literal.enumerated() where bytes[position + i] != byte { return false }
    return true
  }

  mutating func advance(_ count: Int = 1) { position += count }

  /// Skips spaces and tabs (TOML's whitespace; line breaks are not whitespace).
  mutating func skipBlanks() {
    while let byte = peek(), byte == 0x20 || byte == 0x09 { position += 1 }
  }

  /// At a line break: LF, or CR immediately followed by LF.
  var atNewline: Bool { peek() == 0x0A || (peek() == 0x0D && peek(1) == 0x0A) }

  /// Steps over one line break, if the cursor is at one.
  mutating func skipNewline() -> Bool {
    if peek() == 0x0A {
      position += 1
      return true
    }
    if peek() == 0x0D && peek(1) == 0x0A {
      position += 2
      return true
    }
    return false
  }

  func error(_ message: String, at offset: Int? = nil) -> TOMLError {
    TOMLError(at: offset ?? position, in: bytes, message)
  }

  /// The character at the cursor, as a message names it.
  var found: String {
    guard let byte = peek() else { return "the end of the file" }
    return TOMLScanner.name(of: byte, at: position, in: bytes)
  }

  static func name(of byte: UInt8, at index: Int, in bytes: [UInt8]) -> String {
    switch byte {
    case 0x0A: return "a line break"
    case 0x0D: return "a carriage return"
    case 0x09: return "a tab"
    case 0x20: return "a space"
    case 0x00..<0x20, 0x7F: return "the control character U+\(hex4(Int(byte)))"
    case 0x21..<0x7F: return "'\(Character(Unicode.Scalar(byte)))'"
    default:
      let length = utf8Length(lead: byte)
      let end = min(index + max(length, 1), bytes.count)
      return "'\(String(decoding: bytes[index..<end], as: UTF8.self))'"
    }
  }

  // MARK: Character classes (toml.io/en/v1.0.0#abnf)

  /// `A-Z a-z 0-9 _ -`: the characters of a bare key.
  static func isBareKey(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x5F, 0x2D: return true
    default: return false
    }
  }

  /// Control characters no string, key or comment may hold raw: U+0000–U+001F except tab,
  /// and U+007F (line breaks are allowed only where the caller says so).
  static func isForbiddenControl(_ byte: UInt8) -> Bool {
    (byte < 0x20 && byte != 0x09) || byte == 0x7F
  }

  static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

  static func isHexDigit(_ byte: UInt8) -> Bool {
    isDigit(byte) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
  }

  static func hexValue(_ byte: UInt8) -> Int {
    switch byte {
    case 0x30...0x39: return Int(byte - 0x30)
    case 0x41...0x46: return Int(byte - 0x41 + 10)
    default: return Int(byte - 0x61 + 10)
    }
  }

  static func hex4(_ value: Int) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }

  // MARK: UTF-8

  /// The length a UTF-8 sequence starting with `lead` has, or 0 when `lead` cannot start one.
  static func utf8Length(lead: UInt8) -> Int {
    switch lead {
    case 0x00...0x7F: return 1
    case 0xC2...0xDF: return 2
    case 0xE0...0xEF: return 3
    case 0xF0...0xF4: return 4
    default: return 0
    }
  }

  /// The offset of the first byte that is not well-formed UTF-8 (overlong forms, surrogates
  /// and values past U+10FFFF included), or nil when the whole document is UTF-8.
  static func firstInvalidUTF8(in bytes: [UInt8]) -> Int? {
    var i = 0
    let n = bytes.count
    while i < n {
      let lead = bytes[i]
      if lead < 0x80 {
        i += 1
        continue
      }
      let length = utf8Length(lead: lead)
      guard length > 0, i + length <= n else { return i }
      // The second byte's range depends on the lead (Unicode 15, table 3-7).
      let second = bytes[i + 1]
      let low: UInt8
      let high: UInt8
      switch lead {
      case 0xE0: (low, high) = (0xA0, 0xBF)
      case 0xED: (low, high) = (0x80, 0x9F)
      case 0xF0: (low, high) = (0x90, 0xBF)
      case 0xF4: (low, high) = (0x80, 0x8F)
      default: (low, high) = (0x80, 0xBF)
      }
      guard second >= low && second <= high else { return i }
      for k in 2..<max(length, 2) where bytes[i + k] & 0xC0 != 0x80 { return i }
      i += length
    }
    return nil
  }
}
