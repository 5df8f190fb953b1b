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
  static func firstInvalidHeader(in text: String) -> (line: Int, text: String)? {
    var inMultiline: Substring? = nil
    for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = raw.drop { $0 == " " || $0 == "\t" }
      if let delimiter = inMultiline {
        if line.components(separatedBy: delimiter).count % 2 == 0 { inMultiline = nil }
        continue
      }
      // Checked before looking for multi-line string openers: a header line holding three
      // quotes must not hide itself (fuzz-config-loader found `[\u{FFFD}''\u{FFFD}'''…` slipping by).
      if line.first == "[" && !isPlainHeader(line) { return (index + 1, String(raw)) }
      for delimiter in ["\"\"\"", "'''"] where line.components(separatedBy: delimiter).count % 2 == 0 {
        inMultiline = Substring(delimiter)
      }
    }
    return nil
  }

  /// `[key.key]` or `[[key]]` with bare keys of `A-Za-z0-9_-`, quoted keys, dots and blanks,
  /// then optionally a comment.
  private static func isPlainHeader(_ line: Substring) -> Bool {
    var quote: Character? = nil
    var depth = 0
    for character in line {
      if let open = quote {
        if character == open { quote = nil }
        continue
      }
      switch character {
      case "\"", "'": quote = character
      case "[": depth += 1
      case "]":
        depth -= 1
        if depth == 0 { return true }
      case "#": return depth == 0
      case ".", " ", "\t", "_", "-": continue
      default:
        guard character.isASCII, character.isLetter || character.isNumber else { return false }
      }
    }
    return false  // a header must close on its own line; toml++ asserts on `[` then a newline
  }
}
