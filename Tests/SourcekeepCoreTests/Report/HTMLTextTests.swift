import Testing

@testable import SourcekeepCore

/// The one HTML escaper (`HTMLText`), shared by the reports, the readable renditions and the
/// web view (docs/design.md#web-view, "Security").
@Suite struct HTMLTextTests {
  @Test func escapesMarkupCharactersEverywhere() {
    #expect(
      HTMLText.escape("<a href=\"x\">Tom's & Jerry's</a>")
        == "&lt;a href=&quot;x&quot;&gt;Tom&#39;s &amp; Jerry&#39;s&lt;/a&gt;")
    // Normal text, Chinese and emoji included, passes unchanged (the report golden files rely on it).
    let plain = "稀疏专家架构 · 云雀-7开源 — 量子位 👍🏽 e\u{301}\t\n"
    #expect(HTMLText.escape(plain) == plain)
  }

  /// A quote or bracket followed by a combining mark is one Character that is not equal to `"`,
  /// but an HTML parser still sees the quote: escaping by Character let it through.
  @Test func combiningMarksDoNotHideAQuote() {
    let hostile = "x\"\u{301} onmouseover=alert(1) <\u{338}script>"
    let escaped = HTMLText.escape(hostile)
    #expect(!escaped.unicodeScalars.contains("\""))
    #expect(!escaped.unicodeScalars.contains("<"))
    #expect(escaped == "x&quot;\u{301} onmouseover=alert(1) &lt;\u{338}script&gt;")
    #expect(HTMLReport.escape(hostile) == escaped)
  }

  @Test func bidiControlsAreShownAndControlsReplaced() {
    #expect(HTMLText.escape("abc\u{202E}fed") == "abc[U+202E]fed")
    #expect(HTMLText.escape("\u{2066}x\u{2069}\u{200F}") == "[U+2066]x[U+2069][U+200F]")
    #expect(HTMLText.escape("a\u{0}b\u{1B}c\u{7F}") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}")
    #expect(HTMLText.neutralizeBidi("<p class=\"x\">a\u{202E}b</p>") == "<p class=\"x\">a[U+202E]b</p>")
    #expect(HTMLText.neutralizeBidi("<p>plain</p>") == "<p>plain</p>")
  }

  /// The escaper works on UTF-8 bytes; this holds it to the scalar-by-scalar rules on random text
  /// made of the characters it changes, their UTF-8 neighbours (other three-byte scalars starting
  /// with E2 80/E2 81, such as the dash U+2014 and U+2065/U+206A next to the isolates) and plain text.
  @Test func byteEscaperAgreesWithTheScalarRules() {
    func reference(_ s: String) -> String {
      var out = ""
      for scalar in s.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{7F}": out += "\u{FFFD}"
        default:
          if HTMLText.isBidiControl(scalar) {
            out += HTMLText.codePoint(scalar)
          } else {
            out.unicodeScalars.append(scalar)
          }
        }
      }
      return out
    }
    let pool: [Unicode.Scalar] = [
      "a", " ", "\t", "\n", "&", "<", ">", "\"", "'", "\u{0}", "\u{1B}", "\u{7F}", "\u{301}", "千",
      "\u{200D}", "\u{200E}", "\u{200F}", "\u{2010}", "\u{2014}", "\u{2029}", "\u{202A}", "\u{202E}",
      "\u{202F}", "\u{2065}", "\u{2066}", "\u{2069}", "\u{206A}", "\u{20AC}", "\u{E000}", "👍",
    ]
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<2_000 {
      var s = String.UnicodeScalarView()
      for _ in 0..<Int.random(in: 0...12, using: &rng) { s.append(pool.randomElement(using: &rng)!) }
      let text = String(s)
      #expect(HTMLText.escape(text) == reference(text), "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
      #expect(HTMLText.escape(text.dropFirst()) == reference(String(text.dropFirst())))
    }
  }
}
