/// Why a document is not valid TOML, and where: "line 3, column 14: …".
struct TOMLError: Error, Sendable, Equatable, CustomStringConvertible {
  /// 1-based line.
  var line: Int
  /// 1-based column, counted in characters (Unicode scalars), not bytes.
  var column: Int
  /// What is wrong, in words an operator editing the file understands.
  var message: String

  var description: String { "line \(line), column \(column): \(message)" }

  /// An error at byte `offset` of `bytes` (line and column are worked out here, once, so the
  /// reader itself only ever carries a byte offset).
  init(at offset: Int, in bytes: [UInt8], _ message: String) {
    var line = 1
    var column = 1
    var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    let end = min(offset, bytes.count)
    while index < end {
      let byte = bytes[index]
      if byte == 0x0A {
        line += 1
        column = 1
      } else if byte & 0xC0 != 0x80 {
        column += 1
      }
      index += 1
    }
    self.init(line: line, column: column, message: message)
  }

  init(line: Int, column: Int, message: String) {
    self.line = line
    self.column = column
    self.message = message
  }
}
