import SourcekeepCore
import Testing

/// Where the article starts and ends: its lead, what lies over it (dialogs), what follows it
/// (reference lists, orphaned section headings), and the normal form of its text. Each rule on
/// a small page written for it.
struct ArticleBoundaryTests {
  func facts(_ html: String) throws -> PageFacts {
    try PageExtractor().extract(
      body: Array(html.utf8), url: "https://example.org/2026/notes/one.html",
      contentType: "text/html; charset=utf-8")
  }

  func text(_ html: String) throws -> String { try facts(html).text }

  static let paragraphs = MainTextRuleTests.paragraphs
  static let body = paragraphs.map { "<p>\($0)</p>" }.joined()

  /// A dialog (`role="dialog"`, `aria-modal`) lies over the page: a newsletter or consent pop-up
  /// is never the article, even when it holds more prose than the article does.
  @Test func dialogIsNeverTheArticle() throws {
    let pitch = (1...6).map {
      "<p>Subscribe to our weekly letter, number \($0), and you will receive, every Friday, the best of our reporting, essays and photographs.</p>"
    }.joined()
    let page = try text(
      """
      <html><body><div class="popup-wrap" role="dialog"><div class="inner">\(pitch)</div></div>
      <div class="main"><div class="story">\(Self.body)</div></div></body></html>
      """)
    #expect(page.contains(Self.paragraphs[0]))
    #expect(page.contains(Self.paragraphs[3]))
    #expect(!page.contains("Subscribe to our weekly letter"))

    let modal = try text(
      """
      <html><body><section aria-modal="true">\(pitch)</section><div class="main">\(Self.body)</div></body></html>
      """)
    #expect(modal.contains(Self.paragraphs[1]))
    #expect(!modal.contains("Subscribe to our weekly letter"))
  }

  /// A list is never the wrapper of a page: a references list that holds most of the page's
  /// text, named so, is dropped, and the short abstract above it is the article.
  @Test func longListNamedAsApparatusIsDropped() throws {
    let refs = (1...30).map { n in
      "<li><p>Author \(n), Other B. A study of river floods, part \(n). Journal of Water, \(1990 + n); \(n): 1-20.</p></li>"
    }.joined()
    let page = try text(
      """
      <html><body><article><section class="abstract"><h2>Abstract</h2>\(Self.body)</section>
      <section><h2>References</h2><ol class="references">\(refs)</ol></section></article></body></html>
      """)
    #expect(page.contains(Self.paragraphs[0]))
    #expect(page.contains(Self.paragraphs[3]))
    #expect(!page.contains("A study of river floods"))
  }

  /// A heading with nothing under it in the extracted text ("Related articles" over a dropped
  /// list of links, "Comments" over a form) is dropped; a heading over content stays, and so
  /// does one whose content is a subsection or an image.
  @Test func headingWithNothingUnderItIsDropped() throws {
    let related = (1...5).map {
      "<li><a href=\"/2026/other-\($0).html\">Another story about the river, part \($0)</a></li>"
    }
    .joined()
    let facts = try facts(
      """
      <html><body><article><h2>The night</h2>\(Self.body)
      <h2>Morning</h2><h3>At the quay</h3><p>\(Self.paragraphs[0]) Again.</p>
      <h2>In pictures</h2><img src="/quay.jpg" alt="The quay">
      <h2>Related articles</h2><ul class="list">\(related)</ul><h2>Leave a comment</h2></article></body></html>
      """)
    #expect(facts.text.contains("The night"))
    #expect(facts.text.contains("Morning"))
    #expect(facts.text.contains("At the quay"))
    #expect(facts.text.contains("In pictures"))
    #expect(!facts.text.contains("Related articles"))
    #expect(!facts.text.contains("Leave a comment"))
    #expect(!facts.blocks.contains { $0.text == "Related articles" })
    #expect(facts.blocks.contains(ContentBlock(type: "heading", text: "In pictures", level: 2)))
  }

  /// The lead (standfirst) that a template sets between the title and the body, outside the
  /// body's element, is the article's first paragraph; a list of teasers between a title and
  /// the body brings nothing in.
  @Test func leadBetweenTitleAndBodyIsKept() throws {
    let lead = "The town spent the night on the quay, and by morning the water had reached the market square."
    let page = try text(
      """
      <html><body><div class="top"><h1>Flood in the old town</h1><div class="byline">By A. Writer</div>
      <div class="standfirst"><p>\(lead)</p></div></div>
      <div class="story-text">\(Self.body)</div></body></html>
      """)
    #expect(page.contains(lead))
    #expect(page.hasPrefix(lead))
    #expect(page.contains(Self.paragraphs[3]))

    let teasers = (1...24).map {
      "<div class=\"card\"><p><a href=\"/2026/s\($0).html\">Teaser number \($0) describes another story</a>, with a line.</p></div>"
    }.joined()
    let far = try text(
      """
      <html><body><h1>Town Gazette</h1><div class="cards">\(teasers)</div>
      <main><div class="story-text">\(Self.body)\(Self.body)\(Self.body)</div></main></body></html>
      """)
    #expect(!far.contains("Teaser number"))
    #expect(far.contains(Self.paragraphs[0]))
  }

  /// The text is in Unicode normal form C: a letter written with a combining mark reads as the
  /// composed letter, so that search and drift comparison match however the page wrote it.
  @Test func textIsInNormalFormC() throws {
    let page = try text(
      """
      <html><body><article><p>The cafe\u{301} by the quay reopened on Monday, and the owner said the water had reached the counter.</p>
      <p>\(Self.paragraphs[1])</p></article></body></html>
      """)
    #expect(page.contains("caf\u{E9} by the quay"))
    #expect(!page.unicodeScalars.contains("\u{301}"))
  }

  /// A page that renders its article by script has the text only in its structured data:
  /// JSON-LD `articleBody` is the text when the markup gives less than half of it, and is
  /// ignored when the markup holds the article.
  @Test func structuredArticleBodyStandsInForScriptRenderedText() throws {
    let articleBody = Self.paragraphs.joined(separator: "\\n")
    let ld = """
      <script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
      "headline":"Flood","articleBody":"\(articleBody)"}</script>
      """
    let scripted = try facts(
      """
      <html><head>\(ld)</head><body><div id="app"><p>Loading the story, please wait a moment.</p></div></body></html>
      """)
    #expect(scripted.text == Self.paragraphs.joined(separator: "\n\n"))
    #expect(scripted.blocks.first == ContentBlock(type: "paragraph", text: Self.paragraphs[0]))

    let rendered = try text(
      """
      <html><head>\(ld)</head><body><article>\(Self.body)<p>Markup only: the mayor thanked the volunteers, who worked all night.</p></article></body></html>
      """)
    #expect(rendered.contains("Markup only"))
  }
}

extension ArticleBoundaryTests {
  /// A table's cells are lines of the text, not paragraphs; each stays its own block with its
  /// row and column, so the readable copy rebuilds the table.
  @Test func tableCellsAreLinesAndPlacedBlocks() throws {
    let facts = try facts(
      """
      <html><body><article>\(Self.body)<table><tr><th>Gauge</th><th>Level</th></tr>
      <tr><td>Quay</td><td>4.2 m</td></tr></table></article></body></html>
      """)
    #expect(facts.text.hasSuffix("Gauge\nLevel\nQuay\n4.2 m"))
    let cell = facts.blocks.first { $0.text == "4.2 m" }
    #expect(cell?.type == "table_cell")
    #expect(cell?.row == 1)
    #expect(cell?.column == 1)
  }
}

/// WeChat share messages (picture, video and text-only posts) keep their text and pictures in
/// script variables; the extractor reads them from there.
struct WeChatShareTests {
  @Test func pictureShareGivesItsTextAndPictures() throws {
    let html = """
      <html><head><meta property="og:title" content="海边"></head><body><div id="js_article">
      <div id="js_content" style="visibility:hidden"></div></div>
      <script>var item_show_type = "8";
      window.cgiDataNew = {content_noencode: '海鸥一直跟着船\\x0a傍晚才回到港口', picture_page_info_list: [
      {cdn_url: 'https://mmbiz.qpic.cn/one.jpg', watermark_info: {cdn_url: 'https://mmbiz.qpic.cn/mark.png'}},
      {cdn_url: 'https://mmbiz.qpic.cn/two.jpg'}], share_cover: {cdn_url: 'https://mmbiz.qpic.cn/cover.jpg'}};
      </script></body></html>
      """
    let facts = try PageExtractor().extract(
      body: Array(html.utf8), url: "https://mp.weixin.qq.com/s/AbCdEf", contentType: "text/html; charset=utf-8")
    #expect(facts.text == "海鸥一直跟着船\n\n傍晚才回到港口")
    #expect(facts.images == ["https://mmbiz.qpic.cn/one.jpg", "https://mmbiz.qpic.cn/two.jpg"])
    #expect(facts.blocks.last == ContentBlock(type: "image", text: "", src: "https://mmbiz.qpic.cn/two.jpg"))
    #expect(facts.soft404 == nil)
  }

  @Test func textShareGivesItsText() throws {
    let html = """
      <html><body><div class="text_share"></div>
      <script>window.item_show_type = '10';
      var text_page_info = { content: '\\u4eca\\u5929\\u6da8\\u6f6e\\x0a\\x0a码头关闭 \\'全天\\'', is_user_title: 0 };
      </script></body></html>
      """
    let facts = try PageExtractor().extract(
      body: Array(html.utf8), url: "https://mp.weixin.qq.com/s/TxT", contentType: "text/html; charset=utf-8")
    #expect(facts.text == "今天涨潮\n\n码头关闭 '全天'")
  }

  @Test func ordinaryArticleIsNotAShare() throws {
    let html = """
      <html><body><div id="js_content"><p>这是一篇普通的文章，正文在页面里。</p></div>
      <script>var item_show_type = "0"; var content_noencode = '脚本里的别的文字';</script></body></html>
      """
    let facts = try PageExtractor().extract(
      body: Array(html.utf8), url: "https://mp.weixin.qq.com/s/Art", contentType: "text/html; charset=utf-8")
    #expect(facts.text == "这是一篇普通的文章，正文在页面里。")
  }
}
