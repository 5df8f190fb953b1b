/// sourcekeep's own strict TOML 1.0 reader (toml.io/en/v1.0.0), replacing TOMLKit, whose toml++
/// core asserts (aborts) on malformed input (fuzz/crashes/README.md). A config file is operator
/// input and `reload` reads it inside the running daemon, so every input ends in a value or a
/// `TOMLError` naming the line and column, never a trap (docs/design.md#the-toml-reader).
///
/// Recursive descent over UTF-8 bytes. Nesting (arrays, inline tables, dotted key parts) is
/// capped at `maxDepth`, so `[[[[…` is an error, not a stack overflow.
struct TOMLReader {
  /// Levels of arrays, inline tables and key parts one value may sit under.
  static let maxDepth = 100

  static let threeQuotes = Array("\"\"\"".utf8)
  static let threeApostrophes = Array("'''".utf8)

  var scan: TOMLScanner
  let root = TOMLTableNode(origin: .implicit)
  /// The table the current `[header]` section adds keys to.
  var section: TOMLTableNode
  var sectionDepth = 0
  /// Tables made or extended by dotted keys in this section, sealed at the next header.
  var pending: [TOMLTableNode] = []

  /// Reads a whole document.
  static func parse(_ text: String) throws(TOMLError) -> TOMLTable {
    try parse(Array(text.utf8))
  }

  static func parse(_ bytes: [UInt8]) throws(TOMLError) -> TOMLTable {
    if let bad = TOMLScanner.firstInvalidUTF8(in: bytes) {
      throw TOMLError(
        at: bad, in: bytes,
        "byte 0x\(String(bytes[bad], radix: 16, uppercase: true)) is not valid UTF-8; save the file as UTF-8")
    }
    var reader = TOMLReader(bytes)
    try reader.document()
    return reader.root.table
  }

  private init(_ bytes: [UInt8]) {
    scan = TOMLScanner(bytes)
    section = root
  }

  // MARK: Document structure

  private mutating func document() throws(TOMLError) {
    if scan.looking(at: [0xEF, 0xBB, 0xBF]) { scan.advance(3) }  // a byte-order mark
    while true {
      scan.skipBlanks()
      guard let byte = scan.peek() else { return }
      let what: String
      switch byte {
      case UInt8(ascii: "#"), 0x0A, 0x0D:
        what = ""
      case UInt8(ascii: "["):
        try header()
        what = "the table header"
      default:
        try keyValue(into: section, depth: sectionDepth, inline: false)
        what = "the value"
      }
      try endOfLine(after: what)
    }
  }

  /// Blanks, an optional comment, then a line break or the end of the file.
  private mutating func endOfLine(after what: String) throws(TOMLError) {
    scan.skipBlanks()
    if scan.peek(is: UInt8(ascii: "#")) { try comment() }
    if scan.atEnd || scan.skipNewline() { return }
    if scan.peek(is: 0x0D) {
      throw scan.error("a carriage return (CR) may only appear as part of a CRLF line break")
    }
    let context = what.isEmpty ? "" : " after \(what)"
    throw scan.error(
      "expected a line break\(context), found \(scan.found); put each key = value and each [table] on its own line")
  }

  /// From `#` to the end of the line; control characters other than tab are not allowed.
  mutating func comment() throws(TOMLError) {
    scan.advance()
    while let byte = scan.peek(), byte != 0x0A {
      if byte == 0x0D && scan.peek(is: 0x0A, 1) { return }
      if TOMLScanner.isForbiddenControl(byte) {
        throw scan.error("\(scan.found) is not allowed in a comment")
      }
      scan.advance()
    }
  }

  // MARK: Keys

  /// A key: one or more bare or quoted parts separated by dots (`a."b c".'d'`).
  private mutating func key() throws(TOMLError) -> [(name: String, offset: Int)] {
    var parts: [(name: String, offset: Int)] = []
    while true {
      parts.append((try simpleKey(), scan.position))
      if parts.count > TOMLReader.maxDepth {
        throw scan.error("a key with more than \(TOMLReader.maxDepth) dotted parts")
      }
      let save = scan.position
      scan.skipBlanks()
      guard scan.peek(is: UInt8(ascii: ".")) else {
        scan.position = save
        return parts
      }
      scan.advance()
      scan.skipBlanks()
    }
  }

  private mutating func simpleKey() throws(TOMLError) -> String {
    switch scan.peek() {
    case UInt8(ascii: "\""):
      if scan.looking(at: TOMLReader.threeQuotes) {
        throw scan.error("a key cannot be a multi-line string; use \"…\" or '…'")
      }
      return try basicString()
    case UInt8(ascii: "'"):
      if scan.looking(at: TOMLReader.threeApostrophes) {
        throw scan.error("a key cannot be a multi-line string; use \"…\" or '…'")
      }
      return try literalString()
    default:
      let start = scan.position
      while let byte = scan.peek(), TOMLScanner.isBareKey(byte) { scan.advance() }
      guard scan.position > start else {
        throw scan.error(
          "expected a key, found \(scan.found); a bare key may only have the characters A-Z a-z 0-9 _ -, "
            + "so put any other name in quotes (\"…\")")
      }
      return String(decoding: scan.bytes[start..<scan.position], as: UTF8.self)
    }
  }

  static func dotted(_ parts: ArraySlice<(name: String, offset: Int)>) -> String {
    parts.map { part in
      part.name.utf8.allSatisfy(TOMLScanner.isBareKey) && !part.name.isEmpty
        ? part.name
        : "\"" + part.name.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\\\"") + "\""
    }.joined(separator: ".")
  }

  // MARK: Tables

  /// `[a.b]` or `[[a.b]]`, then the rules for defining a table once (toml.io/en/v1.0.0#table).
  private mutating func header() throws(TOMLError) {
    scan.advance()
    let isArray = scan.peek(is: UInt8(ascii: "["))
    if isArray { scan.advance() }
    scan.skipBlanks()
    let keyStart = scan.position
    let parts = try key()
    scan.skipBlanks()
    let close = isArray ? "]]" : "]"
    guard scan.looking(at: Array(close.utf8)) else {
      throw scan.error("expected '\(close)' to close the table header, found \(scan.found)")
    }
    scan.advance(close.count)
    // Tables that dotted keys made in the section that ends here can no longer be defined.
    for node in pending { node.sealed = true }
    pending = []
    let name = TOMLReader.dotted(parts[...])
    var node = root
    for (index, part) in parts.dropLast().enumerated() {
      switch node[part.name] {
      case nil:
        let child = TOMLTableNode(origin: .implicit)
        node.add(part.name, .table(child), at: keyStart)
        node = child
      case .table(let child): node = child
      case .arrayOfTables(let elements): node = elements[elements.count - 1]
      case .value(let value):
        let path = TOMLReader.dotted(parts[...index])
        throw scan.error(
          "[\(name)] needs '\(path)' to be a table, but it is already \(TOMLReader.describe(value))", at: keyStart)
      }
    }
    let last = parts[parts.count - 1].name
    let table = TOMLTableNode(origin: .header)
    if isArray {
      switch node[last] {
      case nil: node.add(last, .arrayOfTables([table]), at: keyStart)
      case .arrayOfTables: node.appendElement(last, table)
      case .table:
        throw scan.error(
          "[[\(name)]] cannot add to '\(name)': it is already a table, not an array of tables", at: keyStart)
      case .value(let value):
        throw scan.error(
          "[[\(name)]] cannot add to '\(name)': it is already \(TOMLReader.describe(value))"
            + (value.isArray ? ", which cannot be extended" : ""), at: keyStart)
      }
    } else {
      switch node[last] {
      case nil: node.add(last, .table(table), at: keyStart)
      case .table(let existing):
        guard existing.origin == .implicit && !existing.sealed else {
          throw scan.error(
            existing.origin == .header
              ? "table [\(name)] is defined twice\(firstOn(node, last)); a table can be defined only once"
              : "table [\(name)] was already defined with dotted keys (\(name).… = …); a table can be defined only once",
            at: keyStart)
        }
        existing.origin = .header
        existing.sealed = true
        section = existing
        sectionDepth = parts.count
        return
      case .arrayOfTables:
        throw scan.error("[\(name)] is already an array of tables; add an element with [[\(name)]]", at: keyStart)
      case .value(let value):
        throw scan.error(
          "[\(name)] cannot be defined: '\(name)' is already \(TOMLReader.describe(value))", at: keyStart)
      }
    }
    section = table
    sectionDepth = parts.count
  }

  /// `key = value` into `table`; `inline` for the keys of an inline table (nothing is
  /// sealed there: the whole inline table is one value).
  mutating func keyValue(into table: TOMLTableNode, depth: Int, inline: Bool) throws(TOMLError) {
    let keyStart = scan.position
    let parts = try key()
    scan.skipBlanks()
    guard scan.peek(is: UInt8(ascii: "=")) else {
      throw scan.error("expected '=' after the key '\(TOMLReader.dotted(parts[...]))', found \(scan.found)")
    }
    scan.advance()
    scan.skipBlanks()
    if depth + parts.count > TOMLReader.maxDepth {
      throw scan.error("nested more than \(TOMLReader.maxDepth) levels deep (tables, arrays and dotted keys)")
    }
    let value = try self.value(depth: depth + parts.count)
    var node = table
    for (index, part) in parts.dropLast().enumerated() {
      func path() -> String { TOMLReader.dotted(parts[...index]) }
      switch node[part.name] {
      case nil:
        let child = TOMLTableNode(origin: .dotted)
        node.add(part.name, .table(child), at: keyStart)
        if !inline { pending.append(child) }
        node = child
      case .table(let child):
        guard !child.sealed else {
          throw scan.error(
            "dotted keys cannot add to table '\(path())': it was defined before (by a [header] or in an earlier section)",
            at: keyStart)
        }
        if !inline && child.origin == .implicit { pending.append(child) }
        node = child
      case .arrayOfTables:
        throw scan.error(
          "dotted keys cannot add to '\(path())': it is an array of tables ([[\(path())]])", at: keyStart)
      case .value(let existing):
        throw scan.error(
          "'\(path())' is already \(TOMLReader.describe(existing)), so '\(TOMLReader.dotted(parts[...]))' cannot be "
            + "defined under it", at: keyStart)
      }
    }
    let last = parts[parts.count - 1].name
    if node[last] != nil {
      throw scan.error(
        "key '\(TOMLReader.dotted(parts[...]))' is defined twice\(firstOn(node, last)); a key can be defined only once",
        at: keyStart)
    }
    node.add(last, .value(value), at: keyStart)
  }

  /// " (first on line 3)" for the key's first definition in `node`.
  func firstOn(_ node: TOMLTableNode, _ key: String) -> String {
    guard let offset = node.offset(of: key) else { return "" }
    return " (first on line \(TOMLError(at: offset, in: scan.bytes, "").line))"
  }

  /// "a string", "an inline table", … for messages about a key already in use.
  static func describe(_ value: TOMLValue) -> String {
    switch value {
    case .table: return "an inline table ({…}), which cannot be extended"
    case .array: return "an array (= […])"
    case .integer: return "an integer"
    default: return "a \(value.kindName)"
    }
  }
}

extension TOMLValue {
  var isArray: Bool { if case .array = self { return true } else { return false } }
}
