import Testing

@testable import SourcekeepCore

/// Table headers toml++ asserts on (found by fuzz-config-loader: `[é]` aborted the loader) are
/// refused as invalid TOML naming the line, before TOMLKit sees them; quoted names still pass.
@Suite struct ConfigHeaderTests {
  @Test(arguments: [
    "[é]", "[fetch.é]", "[[é]]", "[!]", "  [数字] # 注释", "[fetch]\nx = 1\n[é]", "[fetch]\nx = 1\n[",
    "[\u{FFFD}''\u{FFFD}'''00''''health'''",
    "[.digests]", "[fetch.]", "[a..b]", "[storage]\u{2}x = 1", "[\"unclosed]", "[[fetch]",
    // "[" then a combining mark is one Character that is not "[" (fuzz-config-loader's fifth find);
    // CRLF line ends are one Character too.
    "[fetch]\nx = 1\n[\u{30C}storage]", "[fetch]\r\nx = 1\r\n[é]",
    // A byte-order mark before the first header (the sixth find).
    "\u{FEFF}[\u{FFFD}\u{FFFD}",
  ])
  func aHeaderWithCharactersNoBareKeyMayHaveIsRefused(_ text: String) throws {
    let error = try #require(throws: ConfigError.self) { try ConfigLoader.parse(text + "\n", file: "/etc/sk.toml") }
    #expect(error.file == "/etc/sk.toml")
    #expect(
      error.message.contains(
        "line \(text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).count)"))
    #expect(error.message.contains("bare key"))
  }

  @Test func wellFormedHeadersPass() {
    for header in [
      "[fetch]", "[ fetch ]", "[a.b]", "[ a . \"b c\" ]", "[a.'b']", "[[x]]", "[fetch] # note", "[fetch]\r",
    ] {
      #expect(TableHeaderCheck.isPlainHeader(Substring(header)), "\(header)")
    }
  }

  @Test func quotedNamesAndMultilineStringsAreLeftToTheTOMLReader() throws {
    // A quoted non-ASCII table name is valid TOML: the loader's own "unknown section" answers.
    let quoted = try #require(throws: ConfigError.self) {
      try ConfigLoader.parse("[\"数字\"]\nx = 1\n", file: "/etc/sk.toml")
    }
    #expect(quoted.message.contains("unknown") || quoted.key == "数字", "\(quoted)")
    // Inside a multi-line string, a line that reads as a well-formed header still loads; one
    // starting with a malformed bracket is refused like a header (TableHeaderCheck says why).
    let loaded = try ConfigLoader.parse(
      "[fetch]\nuser_agent = \"\"\"\n[ok] # mid-string\n\"\"\"\n", file: "/etc/sk.toml")
    #expect(loaded.config.fetch.userAgent.contains("[ok] # mid-string"))
    let refused = try #require(throws: ConfigError.self) {
      try ConfigLoader.parse("[fetch]\nuser_agent = \"\"\"\n[é] mid-string\n\"\"\"\n", file: "/etc/sk.toml")
    }
    #expect(refused.message.contains("line 3"))
    // fuzz-config-loader's fourth find: three double quotes in a comment hid the header below.
    let hidden = try #require(throws: ConfigError.self) {
      try ConfigLoader.parse("# so\"\"\"\"secon.\npaths = 1\n\n[\u{7}\n", file: "/etc/sk.toml")
    }
    #expect(hidden.message.contains("line 4"))
  }

  /// fuzz-config-loader's second find: a header opened on one line and closed on the next.
  @Test func aHeaderSplitAcrossLinesIsRefused() throws {
    let error = try #require(throws: ConfigError.self) {
      try ConfigLoader.parse("[\nschedule]\ncheck_every = \"1h\"\n", file: "/etc/sk.toml")
    }
    #expect(error.message.contains("line 1"))
  }
}
