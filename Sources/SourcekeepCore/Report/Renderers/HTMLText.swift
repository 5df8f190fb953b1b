/// The one HTML escaper of sourcekeep: the HTML report, the Markdown report's inline HTML, the
/// readable renditions and the web view all put untrusted text (titles, publishers, URLs,
/// snippets) into HTML through it (docs/design.md#web-view, "Security").
///
/// The rules are the same for element content and quoted attribute values:
/// - `& < > " '` become references;
/// - bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) and
///   the marks U+200E/U+200F are shown as their code points (`[U+202E]`): a title holding
///   U+202E must not reverse the rest of the line it sits in, or a URL next to it;
/// - C0 controls other than tab, newline and carriage return, and DEL, become U+FFFD (they are
///   invalid in HTML and some parsers drop or act on them).
///
/// It walks Unicode scalars, not Characters: `"` followed by a combining mark is one Character
/// that is not equal to `"`, yet an HTML parser still sees the quote and ends the attribute.
public enum HTMLText {
  public static func escape(_ s: some StringProtocol) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for scalar in s.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{7F}":
        out += "\u{FFFD}"
      default:
        if isBidiControl(scalar) {
          out += codePoint(scalar)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out
  }

  /// A character that changes the direction of the text around it: the embeddings and
  /// overrides U+202A–U+202E, the isolates U+2066–U+2069, and the marks U+200E/U+200F.
  public static func isBidiControl(_ s: Unicode.Scalar) -> Bool {
    (0x202A...0x202E).contains(s.value) || (0x2066...0x2069).contains(s.value) || s.value == 0x200E
      || s.value == 0x200F
  }

  /// `[U+202E]`: how a bidi control is shown.
  public static func codePoint(_ s: Unicode.Scalar) -> String {
    "[U+" + String(s.value, radix: 16, uppercase: true) + "]"
  }

  /// Already-built HTML with every bidi control shown as its code point (for markup read back
  /// from the archive, such as a readable rendition written before the escaper did this).
  /// Markup is unchanged otherwise: a code point text holds no `<`, `&` or quote.
  public static func neutralizeBidi(_ html: String) -> String {
    guard html.unicodeScalars.contains(where: isBidiControl) else { return html }
    var out = String.UnicodeScalarView()
    for scalar in html.unicodeScalars {
      if isBidiControl(scalar) {
        out.append(contentsOf: codePoint(scalar).unicodeScalars)
      } else {
        out.append(scalar)
      }
    }
    return String(out)
  }
}
