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

  /// Class/id words match where a word starts ("newsCaption" is a caption, "hasheaderimage"
  /// is not a header), and a weak word ("widget", "header", "banner") is overruled by the
  /// paragraphs the element holds; a strong one ("comments") is not.
  @Test func classWordsAreWeakEvidenceAgainstText() throws {
    let body = Self.paragraphs.map { "<p>\($0)</p>" }.joined()
    let page = try text(
      """
      <html><body><div class="menu"><a href="/">Home</a> <a href="/x">Topics</a></div>
      <div class="widget Blog" id="Blog1"><div class="hasheaderimage">
      <div class="post-outer">\(body)<span class="newsCaption">Photo: the quay at dawn, taken by a reader.</span></div>
      </div></div>
      <div class="widget"><p>Archive: March, April, May, June and July of this year.</p></div>
      <div class="comments-area"><p>I live by the quay, and the water came up to our door, which has never happened before.</p>
      <p>Thanks to the volunteers, who worked all night; the town owes them a great deal, really.</p></div>
      </body></html>
      """)
    #expect(page.contains(Self.paragraphs[0]))
    #expect(page.contains(Self.paragraphs[3]))
    #expect(!page.contains("Photo: the quay"))
    #expect(!page.contains("Archive: March"))
    #expect(!page.contains("I live by the quay"))
  }

  /// Soft hyphens and zero-width characters are removed from the text, not turned into spaces:
  /// a word split by `&shy;` or a zero-width space reads whole. The non-joiner and joiner stay:
  /// they are part of Persian and Indic spelling and of emoji sequences.
  @Test func invisibleCharactersAreRemoved() throws {
    let page = try text(
      """
      <html><body><article><p>Die Ita&shy;li&shy;ens&shy;reise begann im Mai, und sie dauerte drei lange, heiße Wochen.</p>
      <p>Zero\u{200B}width, word\u{2060}joiner and \u{FEFF}BOM vanish, as they should here in this text.</p>
      <p>Persian keeps its non-joiner: \u{0645}\u{06CC}\u{200C}\u{062E}\u{0648}\u{0627}\u{0647}\u{0645}, and a family emoji its joiners: \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}.</p>
      </article></body></html>
      """)
    #expect(page.contains("Die Italiensreise begann im Mai"))
    #expect(page.contains("Zerowidth, wordjoiner and BOM vanish"))
    for scalar: Unicode.Scalar in ["\u{AD}", "\u{200B}", "\u{2060}", "\u{FEFF}"] {
      #expect(!page.unicodeScalars.contains(scalar))
    }
    #expect(page.contains("\u{0645}\u{06CC}\u{200C}\u{062E}\u{0648}\u{0627}\u{0647}\u{0645}"), "می‌خواهم keeps U+200C")
    #expect(page.contains("\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}"), "the emoji keeps its joiners")
  }

  /// `<a name>` and `<a id>` anchors without `href` are not links: a paragraph wrapped in one
  /// is text, not a link list.
  @Test func anchorsWithoutHrefAreNotLinkText() throws {
    let body = Self.paragraphs.map { "<p><a name=\"s\($0.count)\">\($0)</a></p>" }.joined()
    let page = try text(
      """
      <html><body><div class="content">\(body)</div>
      <ul><li><a href="/one">One more story</a></li><li><a href="/two">Another story</a></li></ul></body></html>
      """)
    for p in Self.paragraphs { #expect(page.contains(p)) }
    #expect(!page.contains("Another story"))
  }

  /// A `<header>` with paragraphs of text and few links holds content (a body split across
  /// description headers); a site header of links does not.
  @Test func headerWithParagraphsIsContent() throws {
    let more = " Residents of the riverside streets were told to move cars, furniture and papers upstairs before dark."
    let ps = Self.paragraphs.map { "<p>\($0)\(more)</p>" }
    let page = try text(
      """
      <html><body><header class="site-header"><a href="/">Town Gazette</a> <a href="/local">Local</a> <a href="/sport">Sport</a></header>
      <div class="item"><header class="itemDescription">\(ps[0])\(ps[1])</header><div class="photo"><img src="/a.jpg"></div>
      <header class="itemDescription">\(ps[2])\(ps[3])</header></div>
      <div class="teasers"><a href="/x">A teaser</a> <a href="/y">Another teaser</a></div></body></html>
      """)
    for p in Self.paragraphs { #expect(page.contains(p)) }
    #expect(!page.contains("Town Gazette"))
  }

  /// Text only in `<noscript>` (the scripted copy is a template) and in `<caption>` outside a
  /// table is found; a short "enable JavaScript" notice stays invisible.
  @Test func noscriptAndStrayCaptionTextIsFound() throws {
    let body = Self.paragraphs.map { "<p>\($0)</p>" }.joined()
    let inNoscript = try text(
      """
      <html><body><div class="post-body"><script type="text/template">\(body)</script>
      <noscript>\(body)</noscript></div><noscript>Please enable JavaScript to see the comments.</noscript></body></html>
      """)
    for p in Self.paragraphs { #expect(inNoscript.contains(p)) }
    #expect(!inNoscript.contains("enable JavaScript"))

    let captions = try text(
      """
      <html><body><div class="nav"><a href="/">Home</a></div><section class="slides">
      \(Self.paragraphs.map { "<section class=\"slide\"><img src=\"/\($0.count).jpg\"><caption>\($0)</caption></section>" }.joined())
      </section></body></html>
      """)
    for p in Self.paragraphs { #expect(captions.contains(p)) }
  }

  /// Never an empty article when the page has text: when everything is page furniture by its
  /// names, the page is scored again with the furniture kept.
  @Test func pageWithTextNeverGivesAnEmptyArticle() throws {
    let page = try text(
      """
      <html><body><div class="sidebar-widget"><p>The library is closed on Monday; on other days it opens at nine, and it closes at six.</p>
      </div><footer><a href="/contact">Contact</a></footer></body></html>
      """)
    #expect(page.contains("The library is closed on Monday"))
  }

  /// "print", "meta" and "hidden" as class words are weak evidence too: the printable steps
  /// of a how-to are its body, a field whose label is hidden is shown.
  @Test func printAndMetaWordsAreWeakEvidence() throws {
    let page = try text(
      """
      <html><body><div class="intro"><p>A short note, written for the neighbours.</p></div>
      <div class="tips"><div class="tip-print-step"><p>\(Self.paragraphs[0])</p><p>\(Self.paragraphs[1])</p><p>\(Self.paragraphs[0])</p></div>
      <div class="tip-print-step"><p>\(Self.paragraphs[2])</p><p>\(Self.paragraphs[3])</p><p>\(Self.paragraphs[2])</p></div></div>
      <div class="print"><a href="/print">Print this page</a></div></body></html>
      """)
    for p in Self.paragraphs { #expect(page.contains(p)) }
    #expect(!page.contains("Print this page"))

    // "hidden" names the field's label here, not the field.
    let labelHidden = try text(
      """
      <html><body><div class="intro"><p>A short note, written for the neighbours.</p></div>
      <div class="field field--label-hidden"><p>\(Self.paragraphs[0])</p><p>\(Self.paragraphs[1])</p><p>\(Self.paragraphs[2])</p></div>
      <div class="field field--label-hidden"><p>\(Self.paragraphs[3])</p><p>\(Self.paragraphs[0])</p><p>\(Self.paragraphs[1])</p></div>
      <ul class="hidden"><li><a href="/m">Menu</a></li></ul></body></html>
      """)
    for p in Self.paragraphs { #expect(labelHidden.contains(p)) }
    #expect(!labelHidden.contains("Menu"))
  }

  /// An image with a short line beside it and no paragraph is a figure: its legend and credit
  /// are not article text, whatever the markup calls them.
  @Test func imageLegendsAreNotArticleText() throws {
    let page = try text(
      """
      <html><body><div class="story"><p>\(Self.paragraphs[0])</p><p>\(Self.paragraphs[1])</p>
      <div class="imginline"><img src="/quay.jpg"><span>The flooded quay at dawn. Picture: J. Reader</span></div>
      <p>\(Self.paragraphs[2])</p><p>\(Self.paragraphs[3])</p></div></body></html>
      """)
    for p in Self.paragraphs { #expect(page.contains(p)) }
    #expect(!page.contains("The flooded quay at dawn"))
  }

  /// An article split across layout rows and columns (a page builder's markup) is joined: the
  /// winner's ancestors are climbed while they add as much text again, with few links.
  @Test func articleSplitAcrossLayoutRowsIsJoined() throws {
    func row(_ a: Int, _ b: Int) -> String {
      """
      <section class="band"><div class="container"><div class="row"><div class="col"><div class="inner"><div class="wrap">
      <div class="text-block"><p>\(Self.paragraphs[a])</p><p>\(Self.paragraphs[b])</p></div>
      </div></div></div></div></div></section>
      """
    }
    let page = try text(
      """
      <html><body><div class="links"><a href="/a">Weather</a> <a href="/b">Traffic</a></div>
      <div class="entry">\(row(0, 1))\(row(2, 3))</div>
      <div class="more"><a href="/c">More from the town</a></div></body></html>
      """)
    for p in Self.paragraphs { #expect(page.contains(p)) }
    #expect(!page.contains("Weather"))
  }

  /// An article's own `<header>` with a lead paragraph keeps its lead, even when its class
  /// says "header" too; the site header of links beside it still goes.
  @Test func articleHeaderKeepsItsLead() throws {
    let lead =
      "After three days of heavy rain the river broke its banks on Sunday morning, and the town is now counting the cost."
    let page = try text(
      """
      <html><body><header class="site-header"><a href="/">Town Gazette</a> <a href="/local">Local</a></header>
      <article><header class="post-header"><h1>Flood</h1><p class="intro">\(lead)</p></header>
      \(Self.paragraphs.map { "<p>\($0)</p>" }.joined())</article></body></html>
      """)
    #expect(page.contains(lead))
    for p in Self.paragraphs { #expect(page.contains(p)) }
    #expect(!page.contains("Town Gazette"))
  }

  /// "About the author" boxes inside the article are not its text.
  @Test func authorBoxesAreDropped() throws {
    let page = try text(
      """
      <html><body><article class="post">\(Self.paragraphs.map { "<p>\($0)</p>" }.joined())
      <div class="author-box"><img src="/me.jpg"><p>Jo Reader has covered the town council and its rivers for twenty years, and lives by the quay.</p></div>
      </article></body></html>
      """)
    for p in Self.paragraphs { #expect(page.contains(p)) }
    #expect(!page.contains("Jo Reader has covered"))
  }

  /// `<pre>` keeps its line breaks and indentation; the text around it is collapsed as usual.
  @Test func preformattedTextKeepsItsWhitespace() throws {
    let page = try text(
      """
      <html><body><article><p>\(Self.paragraphs[0])</p><pre>
      <code>func main() {
          print("hi")  // say it

          return
      }</code>
      </pre><p>\(Self.paragraphs[1])</p></article></body></html>
      """)
    #expect(page.contains("func main() {\n    print(\"hi\")  // say it\n\n    return\n}"))
    #expect(page.contains(Self.paragraphs[1]))
  }

  /// The main content also comes as ordered blocks: headings with their level, paragraphs,
  /// list items, quotes, table cells, preformatted text and images with their alt text.
  @Test func mainContentComesAsOrderedBlocks() throws {
    let facts = try PageExtractor().extract(
      body: Array(
        """
        <html><body><article><h2>The night</h2><p>\(Self.paragraphs[0])</p>
        <img src="/quay.jpg" alt="The quay"><ul><li>\(Self.paragraphs[1])</li></ul>
        <blockquote>\(Self.paragraphs[2])</blockquote><table><tr><td>Level</td><td>4.2 m</td></tr></table>
        <pre>a  b
          c</pre><p>\(Self.paragraphs[3])</p></article></body></html>
        """.utf8), url: "https://example.org/flood.html", contentType: "text/html; charset=utf-8")
    let blocks = facts.blocks
    #expect(blocks.first == ContentBlock(type: "heading", text: "The night", level: 2))
    #expect(blocks.contains(ContentBlock(type: "paragraph", text: Self.paragraphs[0])))
    #expect(
      blocks.contains(
        ContentBlock(type: "image", text: "The quay", src: "https://example.org/quay.jpg", alt: "The quay")))
    #expect(blocks.contains(ContentBlock(type: "list_item", text: Self.paragraphs[1])))
    #expect(blocks.contains(ContentBlock(type: "quote", text: Self.paragraphs[2])))
    #expect(blocks.contains(ContentBlock(type: "table_cell", text: "4.2 m")))
    #expect(blocks.contains(ContentBlock(type: "pre", text: "a  b\n  c")))
    #expect(blocks.last == ContentBlock(type: "paragraph", text: Self.paragraphs[3]))
    // The text is unchanged: the blocks' texts in order.
    #expect(facts.text.contains(Self.paragraphs[3]))
  }

  /// A utility class with a variant prefix (`lg:text-lg`) is styling, not evidence: its "text"
  /// does not shield an author box from the boilerplate its other words name.
  @Test func utilityClassesAreNotEvidence() throws {
    let body = Self.paragraphs.map { "<p class=\"md:text-base\">\($0)</p>" }.joined()
    let page = try text(
      """
      <html><body><main><article class="mx-auto lg:w-3/4">\(body)</article>
      <div class="author-bio mt-2 lg:text-lg">Kim writes about rivers and weather for the town paper, and has covered floods for ten years.</div>
      </main></body></html>
      """)
    #expect(page.contains(Self.paragraphs[0]))
    #expect(page.contains(Self.paragraphs[3]))
    #expect(!page.contains("Kim writes"))
  }

  /// A live ticker's entries are the article even when its classes call them comments
  /// ("live-match-comment"); a reader-comment section is still dropped.
  @Test func liveTickerEntriesAreContent() throws {
    let entries = Self.paragraphs.enumerated().map { n, p in
      "<div class=\"live-match-comment\"><span class=\"live-match-comment-time\">\(90 - n * 10)'</span><div class=\"live-match-comment-body\">\(p)</div></div>"
    }.joined()
    let page = try text(
      """
      <html><body><div class="menu"><a href="/">Home</a> <a href="/live">Live</a></div>
      <div class="match"><h2>Live</h2><div class="live-match-comments">\(entries)</div></div>
      <div class="comments-area"><p>What a match, and what a goal in the last minute; I was there with my son.</p></div>
      </body></html>
      """)
    #expect(page.contains(Self.paragraphs[0]))
    #expect(page.contains(Self.paragraphs[3]))
    #expect(!page.contains("What a match"))
  }

  /// "Commentary" names an opinion piece, not the readers' comments: its wrapper is kept.
  @Test func commentaryIsAnArticle() throws {
    let body = Self.paragraphs.map { "<p>\($0)</p>" }.joined()
    let page = try text(
      """
      <html><body><div class="menu"><a href="/">Home</a> <a href="/opinion">Opinion</a></div>
      <div class="sect opinion commentary"><div class="sectbody">\(body)</div></div>
      <div class="comments"><p>Nonsense, the dyke was never at risk, and everyone here knows it.</p></div>
      <div class="about"><p>The town paper is published every morning but Sunday; its archive goes back to 1901.</p></div>
      </body></html>
      """)
    #expect(page.contains(Self.paragraphs[0]))
    #expect(page.contains(Self.paragraphs[3]))
    #expect(!page.contains("Nonsense"))
  }

  /// The page's own markup names its article body (`itemprop="articleBody"`): it wins over a
  /// longer block of reader posts under a neutral name, and an article marked in sections
  /// keeps all of them.
  @Test func markedArticleBodyWins() throws {
    let body = (Self.paragraphs + Self.paragraphs.prefix(2).map { "Later that week: " + $0 })
      .map { "<p>\($0)</p>" }.joined()
    let posts = (1...8).map { n in
      "<div class=\"msg\">Reader \(n): I have lived by the quay for years, and I cannot remember water this high, not once; "
        + "the town should raise the dyke, repair the pumps, and warn us earlier, before the streets flood again.</div>"
    }.joined()
    let page = try text(
      """
      <html><body><div class="page"><div class="story"><article itemprop="articleBody">\(body)</article></div>
      <div class="community">\(posts)</div></div></body></html>
      """)
    #expect(page.contains(Self.paragraphs[0]))
    #expect(page.contains(Self.paragraphs[3]))
    #expect(!page.contains("Reader 3"))

    let sections = Self.paragraphs.map { "<section itemprop=\"articleBody\"><p>\($0)</p><p>\($0)</p></section>" }
      .joined(separator: "<div class=\"ad-slot\"></div>")
    let split = try text("<html><body><div class=\"article\">\(sections)</div></body></html>")
    #expect(split.contains(Self.paragraphs[0]))
    #expect(split.contains(Self.paragraphs[3]))
  }

  /// Ruby annotations (`<rt>` readings, `<rp>` parentheses) are not part of the text they annotate.
  @Test func rubyAnnotationsAreNotText() throws {
    let body = Self.paragraphs.map { "<p>\($0)</p>" }.joined()
    let page = try text(
      """
      <html><body><article><p><ruby>東京<rp>(</rp><rt>とうきょう</rt><rp>)</rp></ruby>で<ruby>雨<rt>あめ</rt></ruby>が降りました。</p>\(body)</article></body></html>
      """)
    #expect(page.contains("東京で雨が降りました。"))
    #expect(!page.contains("とうきょう"))
    #expect(page.contains(Self.paragraphs[3]))
  }

  /// A reference list (references, bibliography, reflist) is apparatus, not the article, however
  /// long and punctuated it is: it neither wins over a short abstract nor joins it.
  @Test func referenceListIsNotTheArticle() throws {
    let refs = (1...14).map { n in
      "<li class=\"references__item\">\(n). Smith J, Lee K, et al. Flood levels and river dykes, a review. Hydrology. 20\(10 + n);\(n):1-12. doi:10.1000/h.\(n).</li>"
    }.joined()
    let page = try text(
      """
      <html><body><div class="article__body"><section class="abstract"><p>\(Self.paragraphs[0]) \(Self.paragraphs[1])</p>
      <p>\(Self.paragraphs[2])</p></section>
      <div class="article__references"><h2>References</h2><ul class="rlist">\(refs)</ul></div></div></body></html>
      """)
    #expect(page.contains(Self.paragraphs[0]))
    #expect(page.contains(Self.paragraphs[2]))
    #expect(!page.contains("Flood levels and river dykes"))
  }

  /// Affiliate notices and editorial disclaimers are boilerplate around the article.
  @Test func disclaimersAndAffiliateNoticesAreBoilerplate() throws {
    let body = Self.paragraphs.map { "<p>\($0)</p>" }.joined()
    let page = try text(
      """
      <html><body><article><div class="affiliate-info"><span>For links on this page we may receive a commission from the shops, at no cost to you.</span></div>
      \(body)<div class="editorial-disclaimer"><p>The views expressed by readers do not reflect those of the editors, who are not responsible.</p></div>
      </article></body></html>
      """)
    #expect(page.contains(Self.paragraphs[0]))
    #expect(page.contains(Self.paragraphs[3]))
    #expect(!page.contains("commission"))
    #expect(!page.contains("views expressed"))
  }

  /// A thread of posts in sibling items of the same tag and class is kept whole: the first
  /// post (a short list of changes) is not lost to a longer reply.
  @Test func threadOfPostsIsKeptWhole() throws {
    let first =
      "<ul><li>Lanterns no longer flicker in the rain.</li><li>The ferry timetable shows the winter hours.</li></ul>"
    let long = (0..<6).map { "<p>\(Self.paragraphs[$0 % 4])</p>" }.joined()
    let replies = [
      long, "<p>\(Self.paragraphs[1]) \(Self.paragraphs[2])</p>", "<p>\(Self.paragraphs[3]) \(Self.paragraphs[0])</p>",
    ]
    let posts = ([first] + replies).map {
      "<article class=\"message\"><div class=\"author\"><a href=\"/u/1\">kim the ferryman</a> <a href=\"/r\">Reply</a> <a href=\"/q\">Quote</a> "
        + "<a href=\"/x\">Report</a> <a href=\"/l\">Like this post</a></div><div class=\"main\">"
        + "<div class=\"content\"><div class=\"message-body\">\($0)</div></div></div></article>"
    }.joined()
    let page = try text(
      """
      <html><body><nav><a href="/">Forum</a> <a href="/rules">Rules</a></nav>
      <div class="thread"><h1>Patch notes</h1><div class="messages">\(posts)</div></div></body></html>
      """)
    #expect(page.contains("Lanterns no longer flicker"))
    #expect(page.contains(Self.paragraphs[3] + " " + Self.paragraphs[0]))
    #expect(!page.contains("Rules"))
  }

  /// A block that is one link (a list of links, a "read more" line) carries its `href`; a
  /// paragraph with a link inside its text does not.
  @Test func blockThatIsOneLinkCarriesItsHref() throws {
    let facts = try PageExtractor().extract(
      body: Array(
        """
        <html><body><article><p>\(Self.paragraphs[0])</p><p>\(Self.paragraphs[1]) See <a href="/levels">the levels</a>.</p>
        <p>\(Self.paragraphs[2])</p><ul><li>\(Self.paragraphs[2]) \(Self.paragraphs[0])</li><li><a href="/2026/dyke.html">\(Self.paragraphs[3])</a></li></ul></article></body></html>
        """.utf8), url: "https://example.org/flood.html", contentType: "text/html; charset=utf-8")
    #expect(
      facts.blocks.contains(
        ContentBlock(type: "list_item", text: Self.paragraphs[3], href: "https://example.org/2026/dyke.html")))
    #expect(facts.blocks.contains(ContentBlock(type: "paragraph", text: Self.paragraphs[1] + " See the levels.")))
  }
}
