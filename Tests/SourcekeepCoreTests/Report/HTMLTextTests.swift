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
}
