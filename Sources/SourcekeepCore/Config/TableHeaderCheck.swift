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
