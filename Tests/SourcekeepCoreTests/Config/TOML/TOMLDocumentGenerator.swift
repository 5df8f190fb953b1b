import SourcekeepTestSupport

/// Deterministic TOML documents for the differential test: built from the grammar's pieces,
/// then some damaged by byte edits, so both readers meet valid and invalid input of every kind.
struct TOMLDocumentGenerator {
  /// The same documents on every machine.
  private var rng: SplitMix64

  init(seed: UInt64) { rng = SplitMix64(seed: seed) }

  mutating func next() -> UInt64 { rng.next() }

  mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
  mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
  mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

  static let integers = [
    "0", "+17", "-5", "1_000", "0xDEAD_beef", "0x00ff", "0o755", "0b1010", "9223372036854775807",
    "-9223372036854775808", "+0", "-0", "5_349_221",
  ]
  static let floats = [
    "1.5", "-0.0", "+0.0", "6.02e23", "1E-7", "inf", "-inf", "+nan", "nan", "1_0.0_1", "3.0e+0_1",
    "224_617.445_991_228",
    "1e400", "5e-324", "0.1", "-2E-2",
  ]
  static let strings = [
    #""plain""#, #""tab\there \"quoted\" \\ \u00E9 \U0001F600""#, #"'C:\path\n'"#, #""""#, "''", #""é 数字""#,
    "\"\"\"\nfirst\nsecond\"\"\"", "\"\"\"\\\n   joined \\\n   line\"\"\"", #""""two "" quotes""""#,
    "'''\nraw \\n text\n'''", "''''quoted''''", "\"\"\"a\r\nb\"\"\"", #""\u0000 nul \u007F del""#,
  ]
  static let dates = [
    "1979-05-27T07:32:00Z", "1979-05-27T00:32:00.999999-07:00", "1979-05-27 07:32:00+05:30", "1979-05-27T07:32:00",
    "1979-05-27t07:32:00.5z", "1979-05-27", "2024-02-29", "07:32:00", "00:32:00.123456789", "1987-07-05T17:45:00.1Z",
  ]
  static let bareKeys = ["a", "b", "key", "x-1", "_y", "1234", "true", "inf"]
  static let quotedKeys = [#""a b""#, "'lit'", #""é""#, #""""#, #""dot.ted""#, #""\u0041""#]

  var counter = 0

  mutating func fresh(_ prefix: String) -> String {
    counter += 1
    return "\(prefix)\(counter)"
  }

  mutating func key() -> String {
    switch below(10) {
    case 0: return pick(Self.quotedKeys)
    case 1: return pick(Self.bareKeys)
    case 2: return fresh("d") + pick([".", " . ", "."]) + fresh("e")
    default: return fresh("k")
    }
  }

  mutating func blank() -> String { pick(["", "", " ", "  ", "\t"]) }

  mutating func value(depth: Int) -> String {
    switch below(depth > 2 ? 9 : 12) {
    case 0, 1: return pick(Self.integers)
    case 2, 3: return pick(Self.floats)
    case 4, 5: return pick(Self.strings)
    case 6: return pick(["true", "false"])
    case 7, 8: return pick(Self.dates)
    case 9, 10:
      var items: [String] = []
      for _ in 0..<below(4) { items.append(value(depth: depth + 1)) }
      let separator = pick([", ", ",", ",\n  ", " , # note\n"])
      return "[" + blank() + items.joined(separator: separator) + (chance(30) && !items.isEmpty ? "," : "") + "]"
    default:
      var pairs: [String] = []
      for _ in 0..<below(4) { pairs.append(key() + blank() + "=" + blank() + value(depth: depth + 1)) }
      return "{" + blank() + pairs.joined(separator: ", ") + blank() + "}"
    }
  }

  mutating func keyValue() -> String {
    key() + blank() + "=" + blank() + value(depth: 0) + (chance(20) ? " # comment" : "")
  }

  /// A document that is usually valid: root keys, then tables and arrays of tables.
  mutating func document() -> String {
    var lines: [String] = []
    if chance(20) { lines.append("# a generated document") }
    for _ in 0..<below(4) { lines.append(keyValue()) }
    let arrayName = fresh("aot")
    for _ in 0..<below(5) {
      switch below(5) {
      case 0: lines.append("[[\(arrayName)]]")
      case 1: lines.append("[\(arrayName).\(fresh("sub"))]")
      case 2: lines.append("[" + blank() + fresh("s") + blank() + "." + blank() + pick(Self.quotedKeys) + "]")
      default: lines.append("[\(fresh("t"))]")
      }
      for _ in 0..<below(4) { lines.append(blank() + keyValue()) }
      if chance(15) { lines.append("") }
    }
    return lines.joined(separator: pick(["\n", "\n", "\r\n"])) + (chance(80) ? "\n" : "")
  }

  /// Headers, arrays of tables and dotted keys over three key names, so that tables meet
  /// again and again: the redefinition rules decide most of these.
  mutating func structural() -> String {
    var lines: [String] = []
    func path(_ generator: inout TOMLDocumentGenerator) -> String {
      (0...generator.below(3)).map { _ in generator.pick(["a", "b", "c"]) }.joined(separator: ".")
    }
    let values = ["1", "\"s\"", "[1]", "[]", "{}", "{x = 1}", "{a.b = 1}", "[{a = 1}]", "{b = {c = 1}}"]
    for _ in 0...below(6) {
      switch below(10) {
      case 0, 1, 2: lines.append("[\(path(&self))]")
      case 3, 4: lines.append("[[\(path(&self))]]")
      default: lines.append("\(path(&self)) = \(pick(values))")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Characters the edits insert: delimiters, quotes, escapes, digits, control and non-ASCII.
  static let edits: [[UInt8]] =
    [
      "[", "]", "{", "}", "\"", "'", ".", "=", ",", "#", "\\", "\n", " ", "\t", "\r", "_", "-", "+", ":", "0", "1",
      "9", "e", "E", "x", "o", "b", "T", "Z", "n", "i", "a", "\u{0}", "\u{7F}", "\u{1F}", "é", "\"\"\"", "'''", "\r\n",
      "\u{FEFF}", "u", "U",
    ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xED, 0xA0, 0x80]]

  /// `text` with one to three bytes inserted, deleted or replaced.
  mutating func damaged(_ text: String) -> [UInt8] {
    var bytes = Array(text.utf8)
    for _ in 0..<(1 + below(3)) {
      guard !bytes.isEmpty else { break }
      let at = below(bytes.count)
      switch below(3) {
      case 0: bytes.insert(contentsOf: pick(Self.edits), at: at)
      case 1: bytes.remove(at: at)
      default: bytes.replaceSubrange(at...at, with: pick(Self.edits))
      }
    }
    return bytes
  }
}
