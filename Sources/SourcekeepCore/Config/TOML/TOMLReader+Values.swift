/// Values: the dispatch on the first character, arrays and inline tables
/// (toml.io/en/v1.0.0#array, #inline-table).
extension TOMLReader {
  static let trueBytes = Array("true".utf8)
  static let falseBytes = Array("false".utf8)

  mutating func value(depth: Int) throws(TOMLError) -> TOMLValue {
    guard let byte = scan.peek() else {
      throw scan.error("expected a value, found the end of the file")
    }
    switch byte {
    case UInt8(ascii: "\""):
      return .string(scan.looking(at: TOMLReader.threeQuotes) ? try multilineBasicString() : try basicString())
    case UInt8(ascii: "'"):
      return .string(scan.looking(at: TOMLReader.threeApostrophes) ? try multilineLiteralString() : try literalString())
    case UInt8(ascii: "["):
      return try array(depth: depth + 1)
    case UInt8(ascii: "{"):
      return try inlineTable(depth: depth + 1)
    case UInt8(ascii: "t") where scan.looking(at: TOMLReader.trueBytes):
      scan.advance(4)
      return .bool(true)
    case UInt8(ascii: "f") where scan.looking(at: TOMLReader.falseBytes):
      scan.advance(5)
      return .bool(false)
    case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "i"), UInt8(ascii: "n"),
      UInt8(ascii: "0")...UInt8(ascii: "9"):
      return try numberOrDate()
    case 0x0A, 0x0D, UInt8(ascii: "#"):
      throw scan.error("expected a value after '=', found \(scan.found)")
    default:
      if TOMLScanner.isBareKey(byte) {
        throw scan.error(
          "expected a value, found unquoted text; put strings in quotes (\"…\") and write booleans as true or false")
      }
      throw scan.error("expected a value, found \(scan.found)")
    }
  }

  private mutating func checkDepth(_ depth: Int) throws(TOMLError) {
    if depth > TOMLReader.maxDepth {
      throw scan.error(
        "arrays and inline tables are nested more than \(TOMLReader.maxDepth) levels deep (counting dotted keys)")
    }
  }

  /// `[1, "two", [3], ]`: any values, line breaks and comments between them, a trailing comma.
  private mutating func array(depth: Int) throws(TOMLError) -> TOMLValue {
    try checkDepth(depth)
    let open = scan.position
    scan.advance()
    var items: [TOMLValue] = []
    while true {
      try skipArrayFiller()
      if scan.peek(is: UInt8(ascii: "]")) {
        scan.advance()
        return .array(items)
      }
      if scan.atEnd { throw unclosed("array", "]", open) }
      items.append(try value(depth: depth))
      try skipArrayFiller()
      if scan.peek(is: UInt8(ascii: ",")) {
        scan.advance()
        continue
      }
      if scan.peek(is: UInt8(ascii: "]")) {
        scan.advance()
        return .array(items)
      }
      if scan.atEnd { throw unclosed("array", "]", open) }
      throw scan.error("expected ',' or ']' after an array item, found \(scan.found)")
    }
  }

  private func unclosed(_ what: String, _ close: String, _ open: Int) -> TOMLError {
    let line = TOMLError(at: open, in: scan.bytes, "").line
    return scan.error("the \(what) opened on line \(line) is never closed with '\(close)'")
  }

  /// Blanks, line breaks and comments between array items.
  private mutating func skipArrayFiller() throws(TOMLError) {
    while true {
      scan.skipBlanks()
      if scan.peek(is: UInt8(ascii: "#")) {
        try comment()
      } else if !scan.skipNewline() {
        return
      }
    }
  }

  /// `{ a = 1, b.c = "x" }`: on one line, no trailing comma, closed for good once read.
  private mutating func inlineTable(depth: Int) throws(TOMLError) -> TOMLValue {
    try checkDepth(depth)
    let open = scan.position
    scan.advance()
    let table = TOMLTableNode(origin: .implicit)
    scan.skipBlanks()
    if scan.peek(is: UInt8(ascii: "}")) {
      scan.advance()
      return table.value
    }
    while true {
      try inlineLineCheck(open)
      try keyValue(into: table, depth: depth, inline: true)
      scan.skipBlanks()
      if scan.peek(is: UInt8(ascii: "}")) {
        scan.advance()
        return table.value
      }
      try inlineLineCheck(open)
      guard scan.peek(is: UInt8(ascii: ",")) else {
        throw scan.error("expected ',' or '}' in the inline table, found \(scan.found)")
      }
      scan.advance()
      scan.skipBlanks()
      if scan.peek(is: UInt8(ascii: "}")) {
        throw scan.error("a trailing comma is not allowed in an inline table; remove the ',' before '}'")
      }
    }
  }

  /// TOML 1.0 inline tables stay on one line (arrays inside them may span lines).
  private mutating func inlineLineCheck(_ open: Int) throws(TOMLError) {
    if scan.atEnd { throw unclosed("inline table", "}", open) }
    if scan.atNewline || scan.peek(is: UInt8(ascii: "#")) {
      throw scan.error(
        "an inline table ({…}) must be closed on the line it starts on; use a [table] section for longer tables")
    }
  }
}
