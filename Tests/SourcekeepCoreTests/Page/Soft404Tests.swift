import SourcekeepCore
import Testing

/// Soft-404 and bot-wall signals, and the false positives they must avoid.
struct Soft404Tests {
  func extract(_ html: String, url: String? = "https://example.com/a") throws -> PageFacts {
    try PageExtractor().extract(body: Array(html.utf8), url: url, contentType: "text/html; charset=utf-8")
  }

  static let longEnglish = String(
    repeating: "The service returned errors for hours, and engineers traced them to a cache. ", count: 12)

  @Test func anArticleAboutA404ErrorStaysAnArticle() throws {
    let f = try extract(
      "<title>Why our site showed 404 Not Found for an hour</title><body><article><p>\(Self.longEnglish)</p></article></body>"
    )
    #expect(f.soft404 == nil)
    #expect(!f.blocked)
  }

  @Test func aWeChatArticleQuotingTheDeletedSentenceStaysAnArticle() throws {
    let f = try extract(
      """
      <body><div class="weui-msg__title">该内容已被发布者删除</div><div id="js_content"><p>页面已经显示“该内容已被发布者删除”，但这篇文章本身还在，删除的是另一篇。</p></div></body>
      """, url: "https://mp.weixin.qq.com/s/x")
    #expect(f.soft404 == nil)
  }

  @Test func aChineseNotFoundPageIsNotFound() throws {
    let f = try extract("<title>页面不存在 - 某网站</title><body><h1>抱歉，页面不存在</h1><a href=/>返回首页</a></body>")
    #expect(f.soft404 == Soft404(reason: .notFound, evidence: "页面不存在"))
  }

  @Test func aShortChineseArticleMentioningDeletionIsNotSoft404() throws {
    let f = try extract("<title>删除与找回：数据备份指南</title><body><article><p>误删除的文件可以从备份中找回，本文介绍三个步骤。</p></article></body>")
    #expect(f.soft404 == nil)
  }

  @Test func cloudflareChallengeIsBlocked() throws {
    let f = try extract(
      "<title>Just a moment...</title><body><div id=\"challenge-running\">Checking your browser</div><script>window._cf_chl_opt={}</script></body>"
    )
    #expect(f.blocked)
    #expect(f.soft404 == nil)
  }

  /// Challenge markers are read from every element's id, class and `src`, not only from scripts.
  @Test func aChallengeMarkerInAnElementSourceIsBlocked() throws {
    let f = try extract(
      "<title>Checking</title><body><p>One moment.</p><iframe src=\"https://geo.captcha-delivery.com/captcha/?x=1\"></iframe></body>"
    )
    #expect(f.blocked)
    #expect(f.blockedEvidence == "captcha-delivery.com")
    let g = try extract("<title>Checking</title><body><div class=\"box px-captcha\">Wait</div></body>")
    #expect(g.blocked)
  }

  @Test func aShortArticleWithACaptchaContactFormIsNotBlocked() throws {
    let f = try extract(
      """
      <title>Town news</title><body><div><p class=titulo>Town news</p>Vehicles were damaged overnight, the council said.
      <div class="g-recaptcha" data-sitekey="x"></div><script src="https://www.google.com/recaptcha/api.js"></script></div></body>
      """)
    #expect(!f.blocked)
  }

  @Test func weChatVerificationURLIsBlockedEvenWithoutText() throws {
    let f = try extract("<body></body>", url: "https://mp.weixin.qq.com/mp/wappoc_appmsgcaptcha?poc_token=x")
    #expect(f.blocked)
  }

  /// WeChat's error templates name their message elements with "msg" or "mesg" somewhere in a
  /// longer class list; both spellings are found, wherever they sit in the class attribute.
  @Test func weChatErrorMessagesAreReadUnderBothClassSpellings() throws {
    for cls in ["mesg-block", "weui-msg__title", "area global_error_msg", "x weui-msg__desc"] {
      let f = try extract(
        "<body><div class=\"\(cls)\"><p>该内容已被发布者删除</p></div></body>", url: "https://mp.weixin.qq.com/s/y")
      #expect(f.soft404?.reason == .deleted, "class \(cls)")
    }
    let plain = try extract("<body><div class=\"mes-g ms_g\"><p>该内容已被发布者删除</p></div></body>")
    #expect(plain.soft404 == nil)
  }
}
