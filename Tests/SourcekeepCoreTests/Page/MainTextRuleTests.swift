import SourcekeepCore
import Testing

/// Main-text rules that generalise across sites, each on a small page written for it.
struct MainTextRuleTests {
  func text(_ html: String) throws -> String {
    try PageExtractor().extract(
      body: Array(html.utf8), url: "https://example.org/2026/notes/one.html",
      contentType: "text/html; charset=utf-8"
    ).text
  }

  static let paragraphs = [
    "The river rose slowly during the night, and by morning the lower streets of the town were under water.",
    "Volunteers filled sandbags at the fire station, while the mayor asked residents to stay away from the quay.",
    "By noon the rain had stopped, but the level kept rising, because the reservoir upstream was still releasing water.",
    "Engineers said the old dyke would hold, although they planned to inspect it again once the flood had passed.",
  ]

  /// `<header>`, `<nav>` and `<aside>` are boilerplate by name, but one that holds most of the
  /// page's text outside links wraps the article (an unclosed header, posts inside a nav).
  @Test func boilerplateTagThatWrapsTheArticleIsKept() throws {
    let body = Self.paragraphs.map { "<p>\($0)</p>" }.joined()
    let unclosed = try text(
      """
      <html><body><header class="site"><a href="/">Home</a> <a href="/news">News</a>
      <div class="wrap"><article>\(body)</article></div>
      <footer><a href="/imprint">Imprint</a></footer></body></html>
      """)
    #expect(unclosed.contains(Self.paragraphs[0]))
    #expect(unclosed.contains(Self.paragraphs[3]))
    #expect(!unclosed.contains("Imprint"))

    let inNav = try text(
      """
      <html><body><nav class="menu"><ul><li><a href="/a">Forum</a></li><li><a href="/b">Rules</a></li></ul></nav>
      <nav class="thread"><div class="post">\(body)</div></nav></body></html>
      """)
    #expect(inNav.contains(Self.paragraphs[1]))
    #expect(!inNav.contains("Rules"))
  }
}
