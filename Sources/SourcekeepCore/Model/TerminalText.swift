/// Text bound for a terminal, cleaned of what a terminal would act on: C0 controls other
/// than tab and newline (ESC, BEL, CR, backspace, ...), DEL and C1 controls (U+0080–U+009F,
/// e.g. CSI U+009B, which many terminals take as ESC [). Page titles, digest text, URLs and
/// journal values come from strangers: every human-readable output passes through here.
public enum TerminalText {
  /// Whether a terminal may act on `scalar` (tab and newline are layout, not controls).
  public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    (scalar.value < 0x20 && scalar != "\t" && scalar != "\n") || (0x7f...0x9f).contains(scalar.value)
  }

  /// `text` without control characters; with `singleLine`, tabs and newlines become spaces.
  public static func clean(_ text: String, singleLine: Bool = false) -> String {
    let needsCleaning = text.unicodeScalars.contains { isControl($0) || (singleLine && ($0 == "\n" || $0 == "\t")) }
    guard needsCleaning else { return text }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars where !isControl(scalar) {
      out.append(singleLine && (scalar == "\n" || scalar == "\t") ? " " : scalar)
    }
    return String(out)
  }
}
