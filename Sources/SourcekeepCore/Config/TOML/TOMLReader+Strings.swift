/// The four string kinds (toml.io/en/v1.0.0#string): "basic" with escapes, 'literal' without,
/// and the multi-line form of each.
extension TOMLReader {
  private static let quote = UInt8(ascii: "\"")
  private static let apostrophe = UInt8(ascii: "'")
  private static let backslash = UInt8(ascii: "\\")

  /// `"…"` on one line, with escapes.
  mutating func basicString() throws(TOMLError) -> String {
    scan.advance()
    var out: [UInt8] = []
    while true {
      guard let byte = scan.peek() else {
        throw scan.error("the string has no closing '\"' (it reaches the end of the file)")
      }
      switch byte {
      case TOMLReader.quote:
        scan.advance()
        return String(decoding: out, as: UTF8.self)
      case TOMLReader.backslash:
        try escape(into: &out, multiline: false)
      case 0x0A, 0x0D:
        throw scan.error(
          "the string has no closing '\"' on its line; close it, or use \"\"\"…\"\"\" for a string of several lines")
      default:
        try plain(byte, into: &out)
      }
    }
  }

  /// `"""…"""`: a line break right after the opening quotes is dropped, a backslash at the end
  /// of a line joins it to the next, and up to two quotes may stand before the closing three.
  mutating func multilineBasicString() throws(TOMLError) -> String {
    let open = scan.position
    scan.advance(3)
    _ = scan.skipNewline()
    var out: [UInt8] = []
    while true {
      guard let byte = scan.peek() else { throw unclosedString(open, "\"\"\"") }
      switch byte {
      case TOMLReader.quote:
        if try closeRun(of: TOMLReader.quote, into: &out) { return String(decoding: out, as: UTF8.self) }
      case TOMLReader.backslash:
        try escape(into: &out, multiline: true)
      case 0x0A, 0x0D:
        try newline(into: &out)
      default:
        try plain(byte, into: &out)
      }
    }
  }

  /// `'…'` on one line, taken as written.
  mutating func literalString() throws(TOMLError) -> String {
    scan.advance()
    var out: [UInt8] = []
    while true {
      guard let byte = scan.peek() else {
        throw scan.error("the string has no closing \"'\" (it reaches the end of the file)")
      }
      switch byte {
      case TOMLReader.apostrophe:
        scan.advance()
        return String(decoding: out, as: UTF8.self)
      case 0x0A, 0x0D:
        throw scan.error("the string has no closing \"'\" on its line; close it, or use '''…''' for several lines")
      default:
        try plain(byte, into: &out)
      }
    }
  }

  /// `'''…'''`: as written, the first line break dropped, up to two `'` before the closing three.
  mutating func multilineLiteralString() throws(TOMLError) -> String {
    let open = scan.position
    scan.advance(3)
    _ = scan.skipNewline()
    var out: [UInt8] = []
    while true {
      guard let byte = scan.peek() else { throw unclosedString(open, "'''") }
      switch byte {
      case TOMLReader.apostrophe:
        if try closeRun(of: TOMLReader.apostrophe, into: &out) { return String(decoding: out, as: UTF8.self) }
      case 0x0A, 0x0D:
        try newline(into: &out)
      default:
        try plain(byte, into: &out)
      }
    }
  }

  // MARK: Pieces

  private func unclosedString(_ open: Int, _ delimiter: String) -> TOMLError {
    let line = TOMLError(at: open, in: scan.bytes, "").line
    return scan.error("the multi-line string opened on line \(line) is never closed with \(delimiter)")
  }

  /// A byte of string content: anything but control characters (tab is fine).
  private mutating func plain(_ byte: UInt8, into out: inout [UInt8]) throws(TOMLError) {
    if TOMLScanner.isForbiddenControl(byte) {
      throw scan.error(
        "\(scan.found) is not allowed in a string; write it as an escape (\\u\(TOMLScanner.hex4(Int(byte))))"
          + " in a \"…\" string")
    }
    out.append(byte)
    scan.advance()
  }

  /// A line break inside a multi-line string, kept as LF (CRLF files give the same value).
  private mutating func newline(into out: inout [UInt8]) throws(TOMLError) {
    guard scan.skipNewline() else {
      throw scan.error("a carriage return (CR) may only appear as part of a CRLF line break")
    }
    out.append(0x0A)
  }

  /// A run of delimiter characters in a multi-line string: three or more close it (one or two
  /// more belong to the content, as in `""""a""""`); fewer are content. True when closed.
  private mutating func closeRun(of delimiter: UInt8, into out: inout [UInt8]) throws(TOMLError) -> Bool {
    var run = 0
    while scan.peek(is: delimiter, run) { run += 1 }
    if run < 3 {
      out.append(contentsOf: repeatElement(delimiter, count: run))
      scan.advance(run)
      return false
    }
    let extra = min(run - 3, 2)
    out.append(contentsOf: repeatElement(delimiter, count: extra))
    scan.advance(extra + 3)
    return true
  }

  /// An escape in a basic string; in a multi-line one a backslash that ends a line (blanks may
  /// follow it) removes the line break and the whitespace after it.
  private mutating func escape(into out: inout [UInt8], multiline: Bool) throws(TOMLError) {
    let start = scan.position
    scan.advance()
    guard let code = scan.peek() else {
      throw scan.error("the string ends with a lone backslash; write a backslash as \\\\")
    }
    switch code {
    case UInt8(ascii: "b"): out.append(0x08)
    case UInt8(ascii: "t"): out.append(0x09)
    case UInt8(ascii: "n"): out.append(0x0A)
    case UInt8(ascii: "f"): out.append(0x0C)
    case UInt8(ascii: "r"): out.append(0x0D)
    case TOMLReader.quote: out.append(TOMLReader.quote)
    case TOMLReader.backslash: out.append(TOMLReader.backslash)
    case UInt8(ascii: "u"), UInt8(ascii: "U"):
      scan.advance()
      try unicodeEscape(digits: code == UInt8(ascii: "u") ? 4 : 8, start: start, into: &out)
      return
    case 0x20, 0x09, 0x0A, 0x0D:
      guard multiline else { throw unknownEscape(code, start: start) }
      scan.skipBlanks()
      guard scan.atNewline else {
        throw scan.error(
          "a backslash that ends a line may only be followed by spaces before the line break; "
            + "write a backslash as \\\\", at: start)
      }
      while scan.skipNewline() || scan.peek(is: 0x20) || scan.peek(is: 0x09) {
        if scan.peek(is: 0x20) || scan.peek(is: 0x09) { scan.advance() }
      }
      return
    default:
      throw unknownEscape(code, start: start)
    }
    scan.advance()
  }

  private func unknownEscape(_ code: UInt8, start: Int) -> TOMLError {
    let shown = TOMLScanner.name(of: code, at: scan.position, in: scan.bytes)
    return scan.error(
      "\\ followed by \(shown) is not an escape TOML knows (\\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX); "
        + "write a backslash as \\\\ or use a '…' string", at: start)
  }

  /// `\uXXXX` / `\UXXXXXXXX`: exactly that many hex digits naming a Unicode scalar value.
  private mutating func unicodeEscape(digits: Int, start: Int, into out: inout [UInt8]) throws(TOMLError) {
    var value: UInt32 = 0
    for offset in 0..<digits {
      guard let byte = scan.peek(offset), TOMLScanner.isHexDigit(byte) else {
        throw scan.error(
          "\\\(digits == 4 ? "u" : "U") needs exactly \(digits) hex digits (e.g. \(digits == 4 ? "\\u00E9" : "\\U0001F600"))",
          at: start)
      }
      value = value << 4 | UInt32(TOMLScanner.hexValue(byte))
    }
    guard let scalar = Unicode.Scalar(value) else {
      throw scan.error(
        "\\\(digits == 4 ? "u" : "U")\(String(value, radix: 16, uppercase: true)) is not a Unicode scalar value "
          + "(surrogates D800–DFFF and values above 10FFFF are not characters)", at: start)
    }
    out.append(contentsOf: scalar.utf8)
    scan.advance(digits)
  }
}
