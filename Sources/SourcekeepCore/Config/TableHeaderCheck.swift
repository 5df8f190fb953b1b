/// Table headers (`[fetch]`, `[a."b c"]`) that toml++ cannot be trusted with are refused before
/// the text reaches TOMLKit.
///
/// toml++ 3 (vendored in TOMLKit 0.6.0) asserts that a header's key starts with a bare-key
/// character or a quote: `[é]` aborts a debug build and is undefined behaviour in a release
/// one, so a hand-edited config (or a `reload` of one) could take the daemon down. Found by
/// `fuzz-config-loader` (fuzz/crashes/README.md). TOML allows only `A-Za-z0-9_-` in bare keys,
/// so anything else outside quotes in a header is invalid TOML anyway: say so, naming the line.
enum TableHeaderCheck {
  /// The first offending header, as (1-based line, text), or nil when every header is plain.
  ///
  /// Every line whose first non-blank character is `[` is checked, even inside a multi-line
  /// string: telling strings from headers needs a TOML lexer, and each shortcut tried let the
  /// fuzzer through (three single quotes on the header line, three double quotes in a comment
  /// above it). No config key needs a multi-line string with a line that starts with a
  /// malformed bracket, so refusing one costs nothing, and nothing malformed can reach
  /// toml++'s header parser.
  static func firstInvalidHeader(in text: String) -> (line: Int, text: String)? {
    // Unicode scalars, not Characters: "\r\n" is one Character (a CRLF file would be one long
    // line), and "[" followed by a combining mark is one Character that is not "[" (the
    // fuzzer's fifth find).
    // A byte-order mark is skipped by toml++ before the first line (the sixth find).
    let scalars = text.unicodeScalars.first == "\u{FEFF}" ? text.unicodeScalars.dropFirst() : text.unicodeScalars[...]
    for (index, raw) in scalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = raw.drop { $0 == " " || $0 == "\t" }
      if line.first == "[" && !isPlainHeader(Substring(line)) {
        return (index + 1, String(Substring(raw)))
      }
    }
    return nil
  }

  /// `[key.key]` or `[[key]]` exactly as TOML's grammar has it: one or more keys, each bare
  /// (`A-Za-z0-9_-`, at least one) or quoted, separated by dots, blanks around them, the closing
  /// bracket(s) on the same line, then only blanks or a comment. (`[.digests]` — an empty first
  /// key — reached the same toml++ assertion; fuzz/crashes/README.md.)
  static func isPlainHeader(_ line: Substring) -> Bool {
    var rest = line.unicodeScalars[...]
    func skipBlanks() { while let c = rest.first, c == " " || c == "\t" { rest.removeFirst() } }
    func take(_ c: Unicode.Scalar) -> Bool {
      guard rest.first == c else { return false }
      rest.removeFirst()
      return true
    }
    guard take("[") else { return false }
    let double = take("[")
    while true {
      skipBlanks()
      guard let first = rest.first else { return false }
      if first == "\"" || first == "'" {
        rest.removeFirst()
        var closed = false
        while let c = rest.first {
          rest.removeFirst()
          if c == "\\" && first == "\"" {
            guard !rest.isEmpty else { return false }
            rest.removeFirst()
          } else if c == first {
            closed = true
            break
          }
        }
        guard closed else { return false }
      } else {
        var length = 0
        while let c = rest.first, c.isASCII, Character(c).isLetter || Character(c).isNumber || c == "_" || c == "-" {
          rest.removeFirst()
          length += 1
        }
        guard length > 0 else { return false }
      }
      skipBlanks()
      if take(".") { continue }
      guard take("]"), !double || take("]") else { return false }
      skipBlanks()
      return rest.isEmpty || rest.first == "#" || rest.first == "\r"
    }
  }
}
