import Foundation

/// What sourcekeep knows about WeChat article pages (mp.weixin.qq.com), as named tables.
///
/// Why a table: WeChat's failure sentences and page conventions change by template and
/// locale (docs/wechat.md#failure-pages); keeping them as data makes each rule reviewable and
/// testable on its own, the way lychee keeps its `quirks`.
enum WeChatQuirks {
  /// A failure sentence and the soft-404 reason it means.
  struct FailurePhrase: Sendable {
    let phrase: String
    let reason: CheckReason
  }

  /// Failure sentences read from the error template's title/description (docs/wechat.md#failure-pages).
  /// Order matters: the first match in the title wins, then the description is tried.
  static let failurePhrases: [FailurePhrase] = [
    .init(phrase: "该内容已被发布者删除", reason: .deleted),
    .init(phrase: "The content has been deleted by the author", reason: .deleted),
    .init(phrase: "此帐号已自主注销", reason: .deleted),
    .init(phrase: "此账号已自主注销", reason: .deleted),
    .init(phrase: "此内容因违规无法查看", reason: .violation),
    .init(phrase: "此内容因违规已删除", reason: .violation),
    .init(phrase: "此账号已被屏蔽", reason: .violation),
    .init(phrase: "此帐号已被屏蔽", reason: .violation),
    .init(phrase: "此内容发送失败无法查看", reason: .violation),
    .init(phrase: "涉嫌违反相关法律法规和政策发送失败", reason: .violation),
    .init(phrase: "此内容被投诉且经审核涉嫌侵权，无法查看", reason: .complaints),
    .init(phrase: "此内容被多人投诉，相关的内容无法进行查看", reason: .complaints),
    .init(phrase: "此帐号被投诉且经审核涉嫌侵权", reason: .complaints),
    .init(phrase: "此账号被投诉且经审核涉嫌侵权", reason: .complaints),
    .init(phrase: "该公众号已迁移", reason: .migrated),
    .init(phrase: "此帐号处于帐号迁移流程中", reason: .migrated),
    .init(phrase: "链接已过期", reason: .expired),
  ]

  /// Broader words tried on the error title when no exact sentence matched.
  static let failureWords: [FailurePhrase] = [
    .init(phrase: "投诉", reason: .complaints),
    .init(phrase: "侵权", reason: .complaints),
    .init(phrase: "违规", reason: .violation),
    .init(phrase: "屏蔽", reason: .violation),
    .init(phrase: "迁移", reason: .migrated),
    .init(phrase: "过期", reason: .expired),
    .init(phrase: "删除", reason: .deleted),
    .init(phrase: "deleted", reason: .deleted),
  ]

  /// Verification/rate-limit walls: inconclusive, never a failure (docs/wechat.md#verification-and-rate-limit-walls).
  static let wallPhrases: [String] = [
    "完成验证后即可继续访问", "环境异常", "访问过于频繁", "验证身份", "请用微信扫描二维码进行访问",
  ]

  /// Wall sentences trusted even inside scripts (the 2018 wall writes them with `document.write`).
  static let scriptWallPhrases: [String] = ["访问过于频繁", "完成验证后即可继续访问"]

  /// Final-URL paths that are the verification wall itself.
  static let wallPaths: [String] = ["/mp/wappoc_appmsgcaptcha", "/mp/verifycode"]

  /// Classes of the error template's text elements, most specific first.
  static let messageClasses: [String] = ["weui-msg__title", "weui-msg__desc", "mesg-block", "global_error_msg"]

  /// JS variables holding the publish time in unix seconds, most reliable first.
  static let timestampVariables: [String] = ["ct", "create_time", "oriCreateTime", "publish_time"]

  /// The article body element (`#js_content`) when it holds text or images.
  static func bodyElement(in dom: PageDOM) -> Int? {
    guard let i = dom.byID["js_content"] else { return nil }
    let hasContent = dom.tree.descendants(of: i).contains { d in
      let n = dom.tree.nodes[d]
      return n.name == "img" || (n.isText && n.text.unicodeScalars.contains { !isSpace($0) })
    }
    return hasContent ? i : nil
  }

  /// Whether the page looks like a WeChat page (by host or by its element ids).
  static func isWeChat(dom: PageDOM, url: String?) -> Bool {
    if let url, url.includes("mp.weixin.qq.com") { return true }
    return dom.byID["js_content"] != nil || dom.byID["js_article"] != nil || dom.byID["activity-name"] != nil
  }

  /// The value of `var NAME = "..."` (or `'...'`, `htmlDecode("...")`, `NAME = '...'`) in scripts.
  static func jsVariable(_ name: String, in script: String) -> String? {
    var search = script[...]
    while let r = search.range(of: name) {
      defer { search = search[r.upperBound...] }
      if r.lowerBound > script.startIndex {
        let before = script[script.index(before: r.lowerBound)]
        if before.isLetter || before.isNumber || before == "_" || before == "." { continue }
      }
      var rest = search[r.upperBound...].drop { $0 == " " || $0 == "\t" }
      guard rest.first == "=" || rest.first == ":" else { continue }
      rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
      if rest.hasPrefix("htmlDecode(") { rest = rest.dropFirst("htmlDecode(".count) }
      guard let q = rest.first, q == "\"" || q == "'" else { continue }
      rest = rest.dropFirst()
      var value = ""
      var escaped = false
      for ch in rest {
        if escaped {
          value.append(ch == "n" ? "\n" : ch)
          escaped = false
        } else if ch == "\\" {
          escaped = true
        } else if ch == q {
          break
        } else if ch == "\n" {
          break
        } else {
          value.append(ch)
        }
      }
      let v = decodeEntities(value).trimming(" \t\r\n")
      if !v.isEmpty { return v }
    }
    return nil
  }

  /// The permanent long link from `var biz/mid/idx/sn` (docs/wechat.md#link-forms), if all four are set.
  static func longURL(in script: String) -> String? {
    guard let biz = jsVariable("biz", in: script), let mid = jsVariable("mid", in: script),
      let idx = jsVariable("idx", in: script), let sn = jsVariable("sn", in: script)
    else { return nil }
    return "https://mp.weixin.qq.com/s?__biz=\(biz)&mid=\(mid)&idx=\(idx)&sn=\(sn)"
  }

  /// The new location of a migrated account's article (`transferTargetLink`, older
  /// `transfer_target_link`).
  static func transferTarget(in script: String) -> String? {
    jsVariable("transferTargetLink", in: script) ?? jsVariable("transfer_target_link", in: script)
  }

  /// The publish time as unix seconds, from the first timestamp variable that has one.
  static func publishTimestamp(in script: String) -> Int? {
    for name in timestampVariables {
      if let v = jsVariable(name, in: script), let t = Int(v), t > 100_000_000 { return t }
    }
    return nil
  }
}

/// Decodes the few HTML entities WeChat leaves in JS strings (`&amp;`, `&quot;`, `&#39;`, ...).
func decodeEntities(_ s: String) -> String {
  guard s.includes("&") else { return s }
  var out = s
  for (e, r) in [
    ("&quot;", "\""), ("&#39;", "'"), ("&#x27;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&nbsp;", " "),
    ("&amp;", "&"),
  ] {
    out = out.replacingOccurrences(of: e, with: r)
  }
  return out
}
