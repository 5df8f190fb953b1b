import Foundation

/// A JSON value whose objects keep their key order, with a deterministic serialiser.
///
/// Contract outputs (journal lines, report JSON) are read by people as well as tools:
/// `ts` and `event` first, `schema` first. `JSONEncoder` cannot promise an order.
public indirect enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  case int(Int64)
  case double(Double)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  public static func == (a: JSONValue, b: JSONValue) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.int(let x), .int(let y)): return x == y
    case (.double(let x), .double(let y)): return x == y
    case (.string(let x), .string(let y)): return x == y
    case (.array(let x), .array(let y)): return x == y
    case (.object(let x), .object(let y)): return x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
    default: return false
    }
  }

  /// Compact JSON on one line (no raw newlines, safe for JSONL).
  public var compact: String {
    var out = ""
    write(into: &out, indent: nil, level: 0)
    return out
  }

  /// Indented JSON for people.
  public var pretty: String {
    var out = ""
    write(into: &out, indent: "  ", level: 0)
    return out
  }

  /// `pretty` as this value prints nested `level` deep in a larger document: a streamed
  /// writer prints a document piece by piece with the bytes `pretty` gives for the whole.
  func pretty(atLevel level: Int) -> String {
    var out = ""
    write(into: &out, indent: "  ", level: level)
    return out
  }

  /// A member of an object, or nil.
  public subscript(key: String) -> JSONValue? {
    if case .object(let members) = self { return members.first(where: { $0.0 == key })?.1 }
    return nil
  }

  public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
  public var intValue: Int64? { if case .int(let n) = self { return n } else { return nil } }

  private func write(into out: inout String, indent: String?, level: Int) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let n): out += String(n)
    case .double(let d):
      if d.isFinite {
        out += d == d.rounded() && abs(d) < 1e15 ? String(format: "%.1f", d) : String(d)
      } else {
        out += "null"
      }
    case .string(let s): JSONValue.quote(s, into: &out)
    case .array(let items):
      if items.isEmpty {
        out += "[]"
        return
      }
      out += "["
      for (i, item) in items.enumerated() {
        if i > 0 { out += "," }
        newline(&out, indent, level + 1)
        item.write(into: &out, indent: indent, level: level + 1)
      }
      newline(&out, indent, level)
      out += "]"
    case .object(let members):
      if members.isEmpty {
        out += "{}"
        return
      }
      out += "{"
      for (i, (key, value)) in members.enumerated() {
        if i > 0 { out += "," }
        newline(&out, indent, level + 1)
        JSONValue.quote(key, into: &out)
        out += indent == nil ? ":" : ": "
        value.write(into: &out, indent: indent, level: level + 1)
      }
      newline(&out, indent, level)
      out += "}"
    }
  }

  private func newline(_ out: inout String, _ indent: String?, _ level: Int) {
    guard let indent else { return }
    // `pretty`'s two-space indents, made once: one append per line instead of one per level.
    if indent == "  " && level < JSONValue.twoSpaceLines.count {
      out += JSONValue.twoSpaceLines[level]
      return
    }
    out += "\n"
    for _ in 0..<level { out += indent }
  }

  private static let twoSpaceLines = (0..<16).map { "\n" + String(repeating: "  ", count: $0) }

  static func quote(_ s: String, into out: inout String) {
    out += "\""
    // Most strings (URLs, dates, states) need no escape: one pass over the UTF-8 bytes finds
    // that, and the string is appended whole instead of a scalar at a time.
    // 0xE2 leads U+2028 and U+2029 (and other characters, which take the slow path harmlessly).
    let plain = !s.utf8.contains { (byte: UInt8) -> Bool in
      byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0xE2
    }
    if plain {
      out += s
      out += "\""
      return
    }
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{2028}": out += "\\u2028"
      case "\u{2029}": out += "\\u2029"
      default:
        if scalar.value < 0x20 {
          out += String(format: "\\u%04x", scalar.value)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out += "\""
  }

  /// Parses JSON text, keeping object key order; nil on any syntax error.
  public static func parse(_ text: String) -> JSONValue? {
    var parser = JSONTextParser(Array(text.utf8))
    guard let value = parser.value(depth: 0) else { return nil }
    parser.skipSpace()
    return parser.atEnd ? value : nil
  }
}

/// A small recursive-descent JSON reader (RFC 8259) with a nesting limit.
private struct JSONTextParser {
  let bytes: [UInt8]
  var i = 0
  init(_ bytes: [UInt8]) { self.bytes = bytes }

  var atEnd: Bool { i >= bytes.count }

  mutating func skipSpace() {
    while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
  }

  mutating func literal(_ word: String) -> Bool {
    let w = Array(word.utf8)
    guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else { return false }
    i += w.count
    return true
  }

  mutating func value(depth: Int) -> JSONValue? {
    guard depth < 512 else { return nil }
    skipSpace()
    guard i < bytes.count else { return nil }
    switch bytes[i] {
    case UInt8(ascii: "n"): return literal("null") ? .null : nil
    case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
    case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
    case UInt8(ascii: "\""): return string().map { .string($0) }
    case UInt8(ascii: "["):
      i += 1
      var items: [JSONValue] = []
      skipSpace()
      if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
        i += 1
        return .array(items)
      }
      while true {
        guard let v = value(depth: depth + 1) else { return nil }
        items.append(v)
        skipSpace()
        guard i < bytes.count else { return nil }
        if bytes[i] == UInt8(ascii: ",") {
          i += 1
          continue
        }
        if bytes[i] == UInt8(ascii: "]") {
          i += 1
          return .array(items)
        }
        return nil
      }
    case UInt8(ascii: "{"):
      i += 1
      var members: [(String, JSONValue)] = []
      skipSpace()
      if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
        i += 1
        return .object(members)
      }
      while true {
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\""), let key = string() else { return nil }
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
        i += 1
        guard let v = value(depth: depth + 1) else { return nil }
        members.append((key, v))
        skipSpace()
        guard i < bytes.count else { return nil }
        if bytes[i] == UInt8(ascii: ",") {
          i += 1
          continue
        }
        if bytes[i] == UInt8(ascii: "}") {
          i += 1
          return .object(members)
        }
        return nil
      }
    default:
      return number()
    }
  }

  mutating func number() -> JSONValue? {
    let start = i
    while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
    guard i > start, let text = String(bytes: bytes[start..<i], encoding: .utf8) else { return nil }
    if let n = Int64(text) { return .int(n) }
    return Double(text).map { .double($0) }
  }

  mutating func string() -> String? {
    i += 1  // opening quote
    var out: [UInt8] = []
    while i < bytes.count {
      let b = bytes[i]
      i += 1
      switch b {
      case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
      case UInt8(ascii: "\\"):
        guard i < bytes.count else { return nil }
        let e = bytes[i]
        i += 1
        switch e {
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "u"):
          guard var scalar = hex4() else { return nil }
          if (0xD800..<0xDC00).contains(scalar), literal("\\u"), let low = hex4(), (0xDC00..<0xE000).contains(low) {
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          }
          out.append(contentsOf: Array(String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8))
        default: out.append(e)
        }
      default: out.append(b)
      }
    }
    return nil
  }

  mutating func hex4() -> UInt32? {
    guard i + 4 <= bytes.count, let s = String(bytes: bytes[i..<i + 4], encoding: .ascii),
      let v = UInt32(s, radix: 16)
    else { return nil }
    i += 4
    return v
  }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
  public init(stringLiteral value: String) { self = .string(value) }
  public init(integerLiteral value: Int) { self = .int(Int64(value)) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  /// A string, or null for nil.
  public static func optional(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
  /// An integer, or null for nil.
  public static func optional(_ n: Int?) -> JSONValue { n.map { .int(Int64($0)) } ?? .null }
}
