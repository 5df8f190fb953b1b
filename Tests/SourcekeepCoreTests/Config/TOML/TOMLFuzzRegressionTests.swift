import Foundation
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// Everything fuzz-config-loader found against TOMLKit/toml++ (fuzz/crashes/README.md), now
/// through sourcekeep's own reader: each input ends in a clean error naming the line (or loads).
@Suite struct TOMLFuzzRegressionTests {
  /// Every reproducer in fuzz/crashes, as raw bytes and as the fuzz target decodes them.
  @Test func everyCrashFileGivesACleanErrorOrLoads() throws {
    let folder = TestFixtures.repositoryRoot.appendingPathComponent("fuzz/crashes")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasPrefix("config-loader-") }.sorted()
    #expect(files.count >= 10)
    for name in files {
      let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
      for input in [bytes, Array(String(decoding: bytes, as: UTF8.self).utf8)] {
        do {
          _ = try ConfigLoader.parse(bytes: input, file: "/etc/sk.toml")
        } catch {
          #expect(error.file == "/etc/sk.toml")
          #expect(error.key != nil || error.message.hasPrefix("not valid TOML at line "), "\(name): \(error)")
        }
      }
    }
  }

  /// The open toml++ assertion: `}` inside an array (parse_value's `!is_value_terminator`).
  @Test func aBraceInsideAnArrayIsAnError() throws {
    let error = try #require(throws: ConfigError.self) {
      try ConfigLoader.parse("[fetch]\nreie= [}}}]\n", file: "/etc/sk.toml")
    }
    #expect(error.message == "not valid TOML at line 2, column 8: expected a value, found '}'")
  }

  /// Headers toml++ asserted on: a bare key with characters outside A-Za-z0-9_-, an empty key.
  @Test(arguments: [
    "[é]", "[fetch.é]", "[[é]]", "[!]", "  [数字] # 注释", "[fetch]\nx = 1\n[é]", "[fetch]\nx = 1\n[",
    "[\u{FFFD}''\u{FFFD}'''00''''health'''", "[.digests]", "[fetch.]", "[a..b]",
    // "[" then a combining mark is one Character that is not "[" (the fifth find); CRLF too.
    "[fetch]\nx = 1\n[\u{30C}storage]", "[fetch]\r\nx = 1\r\n[é]",
    // A byte-order mark before the first header (the sixth find).
    "\u{FEFF}[\u{FFFD}\u{FFFD}",
  ])
  func aHeaderWithCharactersNoBareKeyMayHaveIsRefused(_ text: String) throws {
    let error = try #require(throws: ConfigError.self) { try ConfigLoader.parse(text + "\n", file: "/etc/sk.toml") }
    #expect(error.file == "/etc/sk.toml")
    let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).count
    #expect(error.message.hasPrefix("not valid TOML at line \(lines), "), "\(error)")
    #expect(error.message.contains("bare key"), "\(error)")
  }

  @Test(arguments: [
    ("[storage]\u{2}x = 1", "U+0002"), ("[\"unclosed]", "no closing"), ("[[fetch]", "']]'"),
    ("[\nschedule]\ncheck_every = \"1h\"", "found a line break"),
    ("# so\"\"\"\"secon.\npaths = 1\n\n[\u{7}", "U+0007"),
  ])
  func otherMalformedHeadersAreRefused(_ text: String, _ fragment: String) throws {
    let error = try #require(throws: ConfigError.self) { try ConfigLoader.parse(text + "\n", file: "/etc/sk.toml") }
    let line = text.hasPrefix("#") ? 4 : 1
    #expect(error.message.hasPrefix("not valid TOML at line \(line), "), "\(error)")
    #expect(error.message.contains(fragment), "\(error)")
  }

  @Test func quotedNamesAndMultilineStringsAreOrdinaryTOML() throws {
    // A quoted non-ASCII table name is valid TOML: the loader's own "unknown section" answers.
    let quoted = try #require(throws: ConfigError.self) {
      try ConfigLoader.parse("[\"数字\"]\nx = 1\n", file: "/etc/sk.toml")
    }
    #expect(quoted.key == "数字" && quoted.message.contains("unknown section"), "\(quoted)")
    // Inside a multi-line string a line starting with a bracket is text, well-formed or not
    // (the old pre-check refused the second one).
    for line in ["[ok] # mid-string", "[é] mid-string"] {
      let loaded = try ConfigLoader.parse("[fetch]\nuser_agent = \"\"\"\n\(line)\n\"\"\"\n", file: "/etc/sk.toml")
      #expect(loaded.config.fetch.userAgent == line + "\n")
    }
  }
}
