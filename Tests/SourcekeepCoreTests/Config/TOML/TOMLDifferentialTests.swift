import Foundation
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// sourcekeep's reader against Python's tomllib (3.11+, through ExternalTool) on a few hundred
/// hand-written and generated documents: the same accept/reject decision and, when accepted,
/// the same value tree in the tagged JSON form Tests/Fixtures/toml/tomllib_json.py describes.
@Suite struct TOMLDifferentialTests {
  /// Documents aimed at the rules where readers differ: redefinitions, quotes next to closing
  /// delimiters, escapes, underscores, date ranges, line ends.
  static let handWritten: [String] = [
    "a = 1\n[a.b]", "[a.b]\n[a]", "[a]\n[a.b]\n[a]", "a.b = 1\n[a]", "a.b = 1\n[a.c]", "[a]\nb.c = 1\n[a.b.d]",
    "[a]\nb.c = 1\n[a.b]", "[a.b.c]\n[a]\nb.d = 1", "[a.b.c]\n[a]\nb.d = 1\n[a.b]", "[a.b.c]\nz = 9\n[a]\nb.c.t = 1",
    "[[a]]\n[a.b]\n[[a]]\n[a.b]", "[[a]]\n[a]", "[a]\n[[a]]", "a = []\n[[a]]", "a = [{}]\n[[a]]", "[[a.b]]\n[a]",
    "[[a.b]]\n[a]\nb.c = 1", "[[a]]\nb.c = 1\n[a.b.d]", "[[a]]\nb.c = 1\n[a.b]", "a = {b = 1}\n[a.c]",
    "a = {b = {c = 1}}\na.b.d = 2", "a = {b.c = 1, b.d = 2}", "a = {b.c = 1, b = 2}", "a = {b = {}, b.c = 1}",
    "x.y = 1\nx.z = 2\n[t]\nx.w = 3", "[t]\nx.y = 1\n[t.x.z]\n[t.x.z.w]\nv = 1", "[[t]]\n[[t.u]]\n[t.u.v]\n[[t]]",
    "\"a\".'b' = 1\n[\"a\"]", "a = 1\n\"a\" = 2", "'' = 1\n\"\" = 2", "[a]\n[\"a\"]",
    "v = \"\"\"\"\"\"", "v = \"\"\"\"\"\"\"", "v = \"\"\"\"\"\"\"\"", "v = \"\"\"\"\"\"\"\"\"", "v = '''a''''",
    "v = '''a'''''", "v = '''a''''''", "v = \"\"\"a\\\n\n\n  b\"\"\"", "v = \"\"\"a\\ \t \r\n b\"\"\"",
    "v = \"\"\"a\\ b\"\"\"",
    "v = \"\\u00e9\\U0001f600\"", "v = \"\\uDFFF\"", "v = \"\\U0010FFFF\"", "v = \"\\U00110000\"", "v = \"\\u12\"",
    "v = \"\\x41\"", "v = '\\'", "v = 'a\tb'", "v = \"\u{7F}\"", "v = \"\u{1F}\"", "v = '''\r\n'''",
    "v = 1__2", "v = 1_2", "v = _12", "v = 0_1", "v = 0x_1", "v = 0xAbC", "v = 0B1", "v = 0o_7", "v = -0x1",
    "v = 1e+_1",
    "v = 1.0e1", "v = 1.0E+1", "v = 1e-0", "v = 00.1", "v = -0e0", "v = 9_223_372_036_854_775_807", "v = 1e308",
    "v = 2000-02-29", "v = 1900-02-29", "v = 2001-04-31", "v = 2001-04-30T23:59:59.999999999+23:59",
    "v = 2001-04-30T23:59:59-24:00", "v = 2001-04-30 23:59:59", "v = 2001-04-30  23:59:59", "v = 2001-04-30T23:59:59 Z",
    "v = 2001-04-30 # c", "v = 23:59:59.", "v = 23:59:59.1", "v = 24:00:00", "v = 2001-04-30T23:59:59.1234567Z",
    "v = [1, 2,]", "v = [1,\n2 # c\n,]", "v = [\n]", "v = [[[]]]", "v = [{a = 1}, {a = [1, {b = 2}]}]",
    "v = {a = 1,}", "v = {a = 1\n}", "v = {}", "v = { }", "v = {a=1,b=2}", "v = {\"a\" = 1, 'b'.c = 2}",
    "a = 1\r\nb = 2\r\n", "a = 1\rb = 2", "a = 1 # c\r", "# \u{7F}", "# \t tab", "a = true# c", "a = truefalse",
    "[a] # c\nb = 1", "[ a . b ]", "[a\n]", "[[ a ]]", "[ [a]]", "[[a] ]", "[a]b = 1", "= 1", "a = ", "a",
    "\u{FEFF}a = 1", "a = 1\n\u{FEFF}b = 2", "a.b.c.d = 1\na.b.e = 2\na.f = 3", "1.2 = 3", "-_ = 1", "a . b = 1",
  ]

  @Test func sameDecisionsAndValuesAsTomllib() throws {
    let dir = TempDirectory()
    var generator = TOMLDocumentGenerator(seed: 13)
    var documents: [[UInt8]] = Self.handWritten.map { Array($0.utf8) }
    for _ in 0..<160 { documents.append(Array(generator.document().utf8)) }
    for _ in 0..<150 { documents.append(Array(generator.structural().utf8)) }
    for index in 0..<240 {
      let base = index % 3 == 0 ? Self.handWritten[generator.below(Self.handWritten.count)] : generator.document()
      documents.append(generator.damaged(base))
    }
    var paths: [String] = []
    for (index, bytes) in documents.enumerated() {
      paths.append(dir.write(String(format: "%04d.toml", index), bytes: bytes))
    }
    let script = TestFixtures.url("toml/tomllib_json.py").path
    let python = try ExternalTool.run("python3", [script] + paths)
    #expect(python.status == 0, "\(python.output)")
    let answers = python.output.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    try #require(answers.count == documents.count, "\(python.output.prefix(2000))")

    var accepted = 0
    var mismatches = 0
    for (index, bytes) in documents.enumerated() {
      let theirs = String(answers[index])
      let ours: String
      do {
        ours = TOMLJSON.tagged(.table(try TOMLReader.parse(bytes)))
        accepted += 1
      } catch {
        ours = "ERROR \(error)"
      }
      let agree = ours.hasPrefix("ERROR ") ? theirs.hasPrefix("ERROR ") : ours == theirs
      if !agree {
        mismatches += 1
        let text = String(decoding: bytes, as: UTF8.self)
        Issue.record("document \(index) \(text.debugDescription):\n  ours:    \(ours)\n  tomllib: \(theirs)")
      }
    }
    #expect(mismatches == 0)
    // Both kinds of input were really exercised.
    #expect(accepted >= 200 && documents.count - accepted >= 200, "accepted \(accepted) of \(documents.count)")
  }
}

/// The tagged JSON form of Tests/Fixtures/toml/tomllib_json.py, byte for byte as Python's
/// `json.dumps(sort_keys=True, ensure_ascii=True, separators=(",", ":"))` writes it.
enum TOMLJSON {
  static func tagged(_ value: TOMLValue) -> String {
    switch value {
    case .string(let s): return #"{"string":"# + string(s) + "}"
    case .integer(let n): return #"{"integer":""# + String(n) + #""}"#
    case .float(let x): return #"{"float":""# + (x.isNaN ? "nan" : String(x.bitPattern, radix: 16)) + #""}"#
    case .bool(let b): return #"{"bool":"# + String(b) + "}"
    case .offsetDateTime(let d, let t, let minutes):
      let sign = minutes < 0 ? "-" : "+"
      let offset = sign + pad(abs(minutes) / 60, 2) + ":" + pad(abs(minutes) % 60, 2)
      return #"{"datetime":""# + date(d) + "T" + time(t) + offset + #""}"#
    case .localDateTime(let d, let t): return #"{"datetime-local":""# + date(d) + "T" + time(t) + #""}"#
    case .localDate(let d): return #"{"date-local":""# + date(d) + #""}"#
    case .localTime(let t): return #"{"time-local":""# + time(t) + #""}"#
    case .array(let items): return "[" + items.map(tagged).joined(separator: ",") + "]"
    case .table(let table):
      // Python sorts keys by code point; Swift's String order is not that.
      let keys = table.keys.sorted {
        $0.unicodeScalars.map(\.value).lexicographicallyPrecedes($1.unicodeScalars.map(\.value))
      }
      return "{" + keys.map { string($0) + ":" + tagged(table[$0]!) }.joined(separator: ",") + "}"
    }
  }

  static func pad(_ n: Int, _ width: Int) -> String {
    let digits = String(n)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }

  static func date(_ d: TOMLDate) -> String { pad(d.year, 4) + "-" + pad(d.month, 2) + "-" + pad(d.day, 2) }

  /// To microseconds, cut off (tomllib keeps no more).
  static func time(_ t: TOMLTime) -> String {
    pad(t.hour, 2) + ":" + pad(t.minute, 2) + ":" + pad(t.second, 2) + "." + pad(t.nanosecond / 1000, 6)
  }

  static func string(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{8}": out += "\\b"
      case "\u{C}": out += "\\f"
      case " "..."~": out.unicodeScalars.append(scalar)
      default:
        for unit in String(scalar).utf16 { out += "\\u" + pad16(unit) }
      }
    }
    return out + "\""
  }

  static func pad16(_ unit: UInt16) -> String {
    let digits = String(unit, radix: 16)
    return String(repeating: "0", count: 4 - digits.count) + digits
  }
}
