import SourcekeepCore
import Testing

/// Which images a capture archives with its page (docs/design.md#page-requisites).
struct RequisiteDiscoveryTests {
  static let text = String(repeating: "这是正文的一句话，足够长，让评分器认出这是文章。", count: 12)

  static func requisites(_ body: String, head: String = "", url: String = "https://news.example/a/b/page.html")
    throws -> [String]
  {
    let html =
      "<html><head>\(head)</head><body><article><h1>T</h1><p>\(text)</p>\(body)<p>\(text)</p></article>"
      + "</body></html>"
    return try PageExtractor().extract(body: Array(html.utf8), url: url).requisites
  }

  @Test func lazyDataSrcWinsOverThePlaceholderSrcAndRelativeURLsResolve() throws {
    let r = try Self.requisites(
      """
      <p><img data-src="//img.example/1.jpg" src="data:image/gif;base64,R0lGOD"></p>
      <p><img src="../pics/2.png"> <img src="/3.webp"></p>
      """)
    #expect(r == ["https://img.example/1.jpg", "https://news.example/a/pics/2.png", "https://news.example/3.webp"])
  }

  @Test func srcsetGivesItsLargestCandidateByWidthOrDensity() throws {
    let r = try Self.requisites(
      """
      <p><img src="s.jpg" srcset="s.jpg 300w, /img,w_1200/l.jpg 1200w, m.jpg 800w"></p>
      <p><img src="a1.jpg" data-srcset="a1.jpg, a2.jpg 2x, a15.jpg 1.5x"></p>
      """)
    #expect(
      r == ["https://news.example/img,w_1200/l.jpg", "https://news.example/a/b/a2.jpg"])
  }

  @Test func pictureSourcesAndTheCoverAreIncludedCoverFirst() throws {
    let r = try Self.requisites(
      """
      <figure><picture><source type="image/avif" srcset="p.avif 1x, p2.avif 2x">
      <source type="video/mp4" srcset="v.mp4"><img src="p.jpg"></picture></figure>
      """, head: "<meta property=\"og:image\" content=\"https://cdn.example/cover.jpg\">")
    #expect(
      r == [
        "https://cdn.example/cover.jpg", "https://news.example/a/b/p2.avif", "https://news.example/a/b/p.jpg",
      ])
  }

  @Test func dataURIsTrackingPixelsRepeatsAndOtherSchemesAreSkipped() throws {
    let r = try Self.requisites(
      """
      <p><img src="data:image/png;base64,iVBORw0KGgo="><img src="https://t.example/p.gif" width="1" height="1">
      <img src="https://t.example/q.gif" style="x" width="1px" height="1px">
      <img src="https://i.example/a.jpg"><img src="https://i.example/a.jpg"><img src="ftp://i.example/b.jpg">
      <img src="javascript:alert(1)"></p>
      """)
    #expect(r == ["https://i.example/a.jpg"])
  }

  @Test func baseIsHonouredOnlyWhenHTTP() throws {
    let http = try Self.requisites("<p><img src=\"x.jpg\"></p>", head: "<base href=\"https://cdn.example/imgs/\">")
    #expect(http == ["https://cdn.example/imgs/x.jpg"])
    let file = try Self.requisites("<p><img src=\"x.jpg\"></p>", head: "<base href=\"file:///etc/\">")
    #expect(file == ["https://news.example/a/b/x.jpg"])
  }

  @Test func imagesOutsideTheMainContentAndInScriptsAreNotRequisites() throws {
    let html = """
      <html><body><nav><img src="/logo.png"></nav><article><p>\(Self.text)</p><img src="in.jpg">
      <noscript><img src="ns.jpg"></noscript><p style="display:none"><img src="hidden.jpg"></p>
      <p>\(Self.text)</p></article><footer><img src="/footer.png"></footer></body></html>
      """
    let r = try PageExtractor().extract(body: Array(html.utf8), url: "https://news.example/p").requisites
    #expect(r == ["https://news.example/in.jpg"])
  }

  @Test func aWeChatBodyHiddenUntilItsScriptRunsStillYieldsItsLazyImages() throws {
    let html = """
      <html><head><meta property="og:image" content="https://mmbiz.qpic.cn/cover/0?wx_fmt=jpeg"></head><body>
      <div id="js_content" style="visibility: hidden;"><p>\(Self.text)</p>
      <p><img data-src="https://mmbiz.qpic.cn/mmbiz_jpg/abc/640?wx_fmt=jpeg" class="rich_pages"></p></div>
      </body></html>
      """
    let r = try PageExtractor().extract(body: Array(html.utf8), url: "https://mp.weixin.qq.com/s/abc").requisites
    #expect(r == ["https://mmbiz.qpic.cn/cover/0?wx_fmt=jpeg", "https://mmbiz.qpic.cn/mmbiz_jpg/abc/640?wx_fmt=jpeg"])
  }
}
