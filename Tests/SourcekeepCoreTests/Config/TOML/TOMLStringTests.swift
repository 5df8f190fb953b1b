import Testing

@testable import SourcekeepCore

/// The four string kinds and their escape rules (toml.io/en/v1.0.0#string).
@Suite struct TOMLStringTests {
  @Test(arguments: [
    (#"v = "plain""#, "plain"),
    (#"v = "tab\there""#, "tab\there"),
    (#"v = "\b\t\n\f\r\"\\""#, "\u{8}\t\n\u{C}\r\"\\"),
    (#"v = "\u00E9\U0001F600""#, "é😀"),
    (#"v = "é and 数字""#, "é and 数字"),
    ("v = \"a\tb\"", "a\tb"),
    (#"v = 'C:\Users\nodejs'"#, #"C:\Users\nodejs"#),
    (#"v = '<\i\c*\s*>'"#, #"<\i\c*\s*>"#),
    ("v = \"\"\"\nRoses\nViolets\"\"\"", "Roses\nViolets"),
    ("v = \"\"\"\r\nRoses\r\nViolets\"\"\"", "Roses\nViolets"),
    ("v = \"\"\"\\\n   quick \\\n\n   fox\\\n   \"\"\"", "quick fox"),
    ("v = \"\"\"a \\   \n   b\"\"\"", "a b"),
    ("v = \"\"\"Here are two quotes: \"\". Three: \"\"\\\".\"\"\"", #"Here are two quotes: "". Three: """."#),
    ("v = \"\"\"\"quoted\"\"\"\"\"", #""quoted"""#),
    ("v = '''\nfirst newline trimmed\n  rest kept\n'''", "first newline trimmed\n  rest kept\n"),
    (#"v = ''''That,' she said''''"#, "'That,' she said'"),
    ("v = '''a\\nb'''", "a\\nb"),
    ("v = \"\"\"\"\"\"", ""),
    ("v = ''", ""),
  ])
  func validStrings(_ text: String, _ expected: String) throws {
    #expect(try TOML.value(text) == .string(expected), "\(text)")
  }

  @Test(arguments: [
    (#"v = "open"#, "no closing"),
    ("v = \"line\nbreak\"", "no closing '\"' on its line"),
    ("v = 'open", "no closing"),
    (#"v = "\x41""#, "not an escape"),
    (#"v = "\e""#, "not an escape"),
    (#"v = "\ ""#, "not an escape"),
    (#"v = "\u00""#, "exactly 4 hex digits"),
    (#"v = "\uD800""#, "not a Unicode scalar"),
    (#"v = "\U00110000""#, "not a Unicode scalar"),
    (#"v = "\UFFFFFFFF""#, "not a Unicode scalar"),
    ("v = \"bell\u{7}\"", "U+0007"),
    ("v = 'del\u{7F}'", "U+007F"),
    ("v = \"\"\"nul\u{0}\"\"\"", "U+0000"),
    ("v = \"\"\"lone\rcr\"\"\"", "carriage return"),
    ("v = \"\"\"a \\  b\"\"\"", "backslash that ends a line"),
    ("v = \"\"\"never closed\n", "never closed with \"\"\""),
    ("v = '''never closed\n", "never closed with '''"),
    ("v = \"\"\"six\"\"\"\"\"\"", "expected a line break"),
    ("v = '''''''''", "expected a line break"),
    ("\"\"\"k\"\"\" = 1", "multi-line string"),
  ])
  func invalidStrings(_ text: String, _ fragment: String) throws {
    let error = try #require(TOML.error(text), "\(text)")
    #expect(error.message.contains(fragment), "\(text): \(error)")
  }

  @Test func errorsPointAtTheLineAndColumn() throws {
    let error = try #require(TOML.error("a = 1\nv = \"é\\q\"\n"))
    #expect(error.line == 2 && error.column == 7, "\(error)")
    #expect(error.description.hasPrefix("line 2, column 7: "))
  }
}
