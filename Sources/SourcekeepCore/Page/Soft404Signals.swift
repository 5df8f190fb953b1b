import Foundation

/// Decides whether a 2xx page says its content is gone (soft-404) or is a bot wall (blocked).
///
/// False positives are worse than misses: an article that mentions "404" or quotes
/// "该内容已被发布者删除" must stay an article. So the article structure is checked first,
/// failure sentences are read only from the error template's message elements, and generic
/// not-found patterns need a short page.
public struct Soft404Signals: Sendable, Equatable {
  /// The soft-404 verdict, if any.
  public var soft404: Soft404?
  /// Whether the page is a bot wall or verification page (inconclusive).
  public var blocked: Bool
  /// The sentence that made the page `blocked`, for reports.
  public var blockedEvidence: String?

  /// Generic bot-challenge markers: (where to look, the text), matched case-insensitively.
  static let challengeTitles: [String] = [
    "just a moment", "attention required! | cloudflare", "access denied", "are you a robot",
    "are you a human", "verify you are human", "human verification", "security check", "ddos-guard",
    "安全验证", "人机验证", "访问验证", "请稍候",
  ]
  /// Markers of challenge *pages* (not of a captcha widget on a form, which ordinary
  /// articles carry: reCAPTCHA/hCaptcha are deliberately absent).
  static let challengeMarkers: [String] = [
    "cf-browser-verification", "cf_chl_opt", "challenge-platform", "cf-challenge", "captcha-delivery.com",
    "px-captcha", "_wafchallengeid", "tcaptcha_iframe",
  ]
  /// Title/heading fragments of generic not-found templates, lower case.
  static let notFoundPatterns: [String] = [
    "page not found", "404 not found", "not found", "page doesn't exist", "page does not exist",
    "page you requested", "page you are looking for", "no longer available", "error 404", "404 error",
    "页面不存在", "页面未找到", "找不到页面", "找不到该页面", "找不到您要", "找不到你要", "找不到文章", "文章不存在", "内容不存在", "页面已删除", "文章已删除", "该页面不存在",
    "404",
  ]

  static func decide(dom: PageDOM, url: String?, isWeChat: Bool, hasWeChatBody: Bool, mainTextLength: Int)
    -> Soft404Signals
  {
    var result = Soft404Signals(soft404: nil, blocked: false, blockedEvidence: nil)
    // 1. WeChat verification/rate-limit walls.
    if let url, WeChatQuirks.wallPaths.contains(where: { url.includes($0) }) {
      result.blocked = true
    }
    if !hasWeChatBody {
      let messages = messageTexts(dom)
      for phrase in WeChatQuirks.wallPhrases {
        if let m = messages.first(where: { $0.includes(phrase) }) {
          result.blocked = true
          result.blockedEvidence = result.blockedEvidence ?? m
        }
      }
      if let m = messages.first(where: { _ in dom.byID["js_verify"] != nil }), isWeChat {
        result.blocked = true
        result.blockedEvidence = result.blockedEvidence ?? m
      }
      if !result.blocked && mainTextLength < 200 {
        let script = dom.scriptText()
        for phrase in WeChatQuirks.scriptWallPhrases where script.includes(phrase) {
          result.blocked = true
          result.blockedEvidence = phrase
          break
        }
      }
      if result.blocked { return result }
      // 2. WeChat error template.
      if let verdict = wechatFailure(messages: messages) {
        result.soft404 = verdict
        return result
      }
    }
    if hasWeChatBody { return result }
    // 3. Generic bot challenges.
    let rawTitle = (dom.elements(.title).first.map { dom.rawText($0) } ?? "").lowercased()
    if mainTextLength < 1500 {
      if challengeTitles.contains(where: { rawTitle.hasPrefix($0) }) {
        result.blocked = true
        result.blockedEvidence = rawTitle
        return result
      }
      if mainTextLength < 300 {
        let markup = dom.scriptText() + " " + elementMarkup(dom)
        let markers = PatternSet(challengeMarkers)
        if markers.matches(markup) {
          result.blocked = true
          result.blockedEvidence = challengeMarkers.first { markup.includes($0) }
          return result
        }
      }
    }
    // 4. Generic not-found template served with 200: a matching title or top heading, short page.
    guard mainTextLength < 600 else { return result }
    let bodyLength = dom.elements(.body).first.map { dom.visibleText($0).scalarCount } ?? 0
    guard bodyLength < 2000 else { return result }
    var candidates: [String] = []
    if let t = dom.elements(.title).first.map({ dom.rawText($0) }), !t.isEmpty {
      candidates.append(PageMetadata.stripSiteSuffix(t, siteName: nil))
    }
    for h in dom.elements(.h1) { candidates.append(dom.visibleText(h)) }
    for c in candidates where !c.isEmpty && c.count <= 80 {
      let lower = c.lowercased()
      guard let p = notFoundPatterns.first(where: { lower.includes($0) }) else { continue }
      if p == "404" && !isStandalone404(lower) { continue }
      result.soft404 = Soft404(reason: .notFound, evidence: c)
      return result
    }
    return result
  }

  /// Whether `cls` contains "msg" or "mesg" (one scan for both).
  static func mentionsMessage(_ cls: String) -> Bool {
    var c = cls
    return c.withUTF8 { b in
      let n = b.count
      var i = 0
      while i + 2 < n {
        if b[i] == 0x6D {  // m
          if b[i + 1] == 0x73 && b[i + 2] == 0x67 { return true }  // sg
          if i + 3 < n && b[i + 1] == 0x65 && b[i + 2] == 0x73 && b[i + 3] == 0x67 { return true }  // esg
        }
        i += 1
      }
      return false
    }
  }

  /// Every element's `id`, `class` and `src`, "id class src" per element, joined by spaces.
  /// (Indexes, not a closure over `nodes`: a closure parameter copied each whole node, with
  /// its retains and releases, docs/performance.md#extraction-make-bench-extract.)
  static func elementMarkup(_ dom: PageDOM) -> String {
    let nodes = dom.tree.nodes
    var out = ""
    var first = true
    for i in nodes.indices where !nodes[i].name.isEmpty {
      if !first { out += " " }
      first = false
      out += nodes[i].attribute("id") ?? ""
      out += " "
      out += nodes[i].attribute("class") ?? ""
      out += " "
      out += nodes[i].attribute("src") ?? ""
    }
    return out
  }

  /// "404" as its own token (not part of "4040" or "u404x").
  static func isStandalone404(_ s: String) -> Bool {
    let chars = Array(s)
    var i = 0
    while i + 3 <= chars.count {
      if chars[i] == "4" && chars[i + 1] == "0" && chars[i + 2] == "4" {
        let before = i == 0 ? " " : chars[i - 1]
        let after = i + 3 == chars.count ? " " : chars[i + 3]
        if !before.isLetter && !before.isNumber && !after.isLetter && !after.isNumber { return true }
      }
      i += 1
    }
    return false
  }

  /// Visible texts of WeChat message elements (titles first), in document order per class.
  static func messageTexts(_ dom: PageDOM) -> [String] {
    var out: [String] = []
    // Every message class says "msg" or "mesg": one pass finds the candidates. This runs on
    // every page that is not a WeChat article, so each class is scanned once for both.
    let nodes = dom.tree.nodes
    var candidates: [Int] = []
    for i in nodes.indices where !nodes[i].attributes.isEmpty {
      if let c = nodes[i].attribute("class"), mentionsMessage(c) { candidates.append(i) }
    }
    if candidates.isEmpty { return out }
    for c in WeChatQuirks.messageClasses {
      for e in candidates where dom.hasClass(e, c) {
        let t = dom.visibleText(e)
        if !t.isEmpty { out.append(t) }
      }
    }
    if let tips = candidates.first(where: { dom.hasClass($0, "weui-msg") }) {
      let t = dom.visibleText(tips)
      if !t.isEmpty { out.append(t) }
    }
    return out
  }

  static func wechatFailure(messages: [String]) -> Soft404? {
    for m in messages {
      for f in WeChatQuirks.failurePhrases {
        guard let r = m.range(of: f.phrase, options: .caseInsensitive) else { continue }
        var evidence = String(m[r])
        if r.upperBound < m.endIndex, "。.".contains(m[r.upperBound]) { evidence.append(m[r.upperBound]) }
        return Soft404(reason: f.reason, evidence: evidence)
      }
    }
    // Only the error title (the first message) is trusted for the broader words.
    if let title = messages.first, title.count <= 60 {
      for f in WeChatQuirks.failureWords where title.localizedCaseInsensitiveContains(f.phrase) {
        return Soft404(reason: f.reason, evidence: title)
      }
    }
    return nil
  }
}

/// A soft-404 verdict: why the content is gone and the sentence that says so.
public struct Soft404: Sendable, Codable, Equatable {
  /// One of the contract's soft-404 reasons (`deleted`, `violation`, ..., `not-found`).
  public var reason: CheckReason
  /// The text found on the page.
  public var evidence: String

  /// A verdict with its evidence.
  public init(reason: CheckReason, evidence: String) {
    self.reason = reason
    self.evidence = evidence
  }
}
