import SourcekeepCore
import Testing

/// Metadata sources: JSON-LD shapes, WeChat's timestamp, URL resolution, titles.
struct MetadataTests {
  func extract(_ html: String, url: String? = "https://example.com/news/a/page.html") throws -> PageFacts {
    try PageExtractor().extract(body: Array(html.utf8), url: url, contentType: "text/html; charset=utf-8")
  }

  @Test func jsonLDGraphWithAuthorArrayAndPublisherReference() throws {
    let f = try extract(
      """
      <html><head><script type="application/ld+json">{"@context":"https://schema.org","@graph":[
      {"@type":["NewsArticle"],"headline":"H","datePublished":"2026-02-16T10:32:45+0800",
       "author":[{"@type":"Person","name":"A One"},{"@type":"Person","name":"B Two"}],
       "publisher":{"@id":"#org"}},{"@type":"Organization","@id":"#org","name":"Org Name"}]}</script>
      </head><body><p>x</p></body></html>
      """)
    #expect(f.title == "H")
    #expect(f.author == "A One, B Two")
    #expect(f.publisher == "Org Name")
    #expect(f.published == "2026-02-16T10:32:45+08:00")
  }

  @Test func jsonLDTopLevelArrayIsSearched() throws {
    let f = try extract(
      """
      <script type="application/ld+json">[{"@type":"BreadcrumbList"},{"@type":"BlogPosting","headline":"In array","author":"Solo"}]</script>
      """)
    #expect(f.title == "In array")
    #expect(f.author == "Solo")
  }

  @Test func weChatTimestampBecomesChinaTime() throws {
    let f = try extract(
      """
      <html><body><div id="js_content"><p>正文内容在这里。</p></div>
      <script>var ct = "1771249630"; var nickname = htmlDecode("量子位");</script></body></html>
      """, url: "https://mp.weixin.qq.com/s/abc")
    #expect(f.published == "2026-02-16T21:47:10+08:00")
    #expect(f.publisher == "量子位")
  }

  @Test func relativeProtocolRelativeAndBaseURLsResolve() throws {
    let f = try extract(
      """
      <html><head><base href="/assets/"><link rel="canonical" href="../news/a/page.html"></head>
      <body><article><p>A long enough paragraph of article text, with commas, to be the body of this page.</p>
      <img src="one.png"><img src="//cdn.example.net/two.png"><img data-src="https://x.example/3.png" src="data:image/gif;base64,R0">
      <p>Another paragraph, see <a href="more.html">more</a>, and the text goes on for a while here.</p></article></body></html>
      """)
    #expect(
      f.images == ["https://example.com/assets/one.png", "https://cdn.example.net/two.png", "https://x.example/3.png"])
    #expect(f.links == ["https://example.com/assets/more.html"])
    #expect(f.canonicalURL == "https://example.com/news/a/page.html")
  }

  @Test func titleLosesItsSiteSuffix() throws {
    #expect(try extract("<title>Big news today | The Site</title>").title == "Big news today")
    #expect(try extract("<title>千问春节免单_36氪</title>").title == "千问春节免单")
  }

  @Test func textCollapsesWhitespaceDecodesEntitiesAndJoinsInlineWithoutSpaces() throws {
    let f = try extract(
      """
      <html><body><article><h2>Heading   here</h2>
      <p><span>一段</span><strong>文字</strong><span>连在一起，没有空格。</span>  Tom &amp; Jerry&nbsp;&lt;3 &#x4E2D;</p>
      <ul><li>first item, in a list</li><li>second item</li></ul>
      <p>Last paragraph,
           with   newlines   inside.</p></article></body></html>
      """)
    #expect(
      f.text
        == "Heading here\n\n一段文字连在一起，没有空格。 Tom & Jerry <3 中\n\nfirst item, in a list\nsecond item\n\nLast paragraph, with newlines inside."
    )
  }
}
