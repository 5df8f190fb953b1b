import Foundation

/// The page's descriptive facts: title, site, publisher, author, time, language, description,
/// canonical URL.
///
/// Each field is taken from the most reliable source present (structured data first, then
/// meta tags, then WeChat's elements and JS variables, then plain markup), because news
/// pages disagree with themselves and WeChat sets several fields only by script.
struct PageMetadata {
  var title: String?
  var siteName: String?
  var publisher: String?
  var author: String?
  var published: String?
  var language: String?
  var description: String?
  var canonicalURL: String?
  var baseHref: String?
  /// The article's text as the page's structured data gives it (JSON-LD `articleBody`).
  var articleBody: String?

  init(dom: PageDOM, url: String?, isWeChat: Bool) {
    var meta: [String: String] = [:]
    for m in dom.elements(.meta) {
      let key = (dom.attr(m, "property") ?? dom.attr(m, "name") ?? dom.attr(m, "itemprop") ?? "").lowercased()
      let httpEquiv = dom.attr(m, "http-equiv")?.lowercased()
      guard let content = dom.attr(m, "content").map(collapse), !content.isEmpty else { continue }
      if !key.isEmpty, meta[key] == nil { meta[key] = content }
      if let httpEquiv, meta["http-equiv:" + httpEquiv] == nil { meta["http-equiv:" + httpEquiv] = content }
    }
    let ld = JSONLD(blocks: dom.jsonLDTexts())
    articleBody = ld.articleBody
    let script = isWeChat ? dom.scriptText() : ""
    func js(_ name: String) -> String? { isWeChat ? WeChatQuirks.jsVariable(name, in: script) : nil }
    func text(id: String) -> String? {
      dom.byID[id].map { dom.visibleText($0) }.flatMap { $0.isEmpty ? nil : $0 }
    }
    func nonEmpty(_ s: String?) -> String? {
      guard let s else { return nil }
      let c = collapse(s)
      return c.isEmpty ? nil : c
    }

    let rawTitle = dom.elements(.title).first.map { dom.rawText($0) }
    let h1 = dom.elements(.h1).lazy.map { dom.visibleText($0) }.first { !$0.isEmpty }
    siteName = nonEmpty(meta["og:site_name"]) ?? nonEmpty(meta["application-name"])
    title =
      nonEmpty(meta["og:title"]) ?? nonEmpty(ld.headline) ?? text(id: "activity-name") ?? nonEmpty(js("msg_title"))
      ?? nonEmpty(meta["twitter:title"]) ?? h1
      ?? nonEmpty(rawTitle.map { Self.stripSiteSuffix($0, siteName: siteName) })

    let account = isWeChat ? (text(id: "js_name") ?? nonEmpty(js("nickname"))) : nil
    publisher = account ?? nonEmpty(ld.publisher) ?? siteName
    if siteName == nil { siteName = publisher }

    let metaAuthor = nonEmpty(meta["author"]).flatMap { $0.hasPrefix("http") ? nil : $0 }
    let articleAuthor = nonEmpty(meta["article:author"]).flatMap { $0.hasPrefix("http") ? nil : $0 }
    let relAuthor = dom.elements(.a).first { dom.attr($0, "rel")?.includes("author") == true }.map {
      dom.visibleText($0)
    }
    author =
      (ld.authors.isEmpty ? nil : ld.authors.joined(separator: ", ")) ?? metaAuthor ?? articleAuthor
      ?? text(id: "js_author_name") ?? nonEmpty(js("author")) ?? nonEmpty(relAuthor)

    var time: String?
    if let d = nonEmpty(ld.datePublished) { time = PublishedTime.normalise(d) }
    if time == nil, let d = nonEmpty(meta["article:published_time"]) { time = PublishedTime.normalise(d) }
    if time == nil, isWeChat, let ts = WeChatQuirks.publishTimestamp(in: script) {
      time = PublishedTime.chinaTime(unixSeconds: ts)
    }
    if time == nil {
      for t in dom.elements(.time) {
        if let d = nonEmpty(dom.attr(t, "datetime")), let n = PublishedTime.normalise(d) {
          time = n
          break
        }
      }
    }
    if time == nil {
      for key in [
        "og:published_time", "datepublished", "pubdate", "publishdate", "date", "dc.date", "dcterms.created",
        "sailthru.date",
      ] {
        if let d = nonEmpty(meta[key]), let n = PublishedTime.normalise(d) {
          time = n
          break
        }
      }
    }
    published = time

    let htmlLang = dom.elements(.html).first.flatMap { dom.attr($0, "lang") }
    language =
      nonEmpty(htmlLang) ?? nonEmpty(meta["http-equiv:content-language"]) ?? nonEmpty(ld.language)
      ?? nonEmpty(meta["og:locale"])?.replacingOccurrences(of: "_", with: "-")

    description =
      nonEmpty(meta["og:description"]) ?? nonEmpty(meta["description"]) ?? nonEmpty(ld.description)
      ?? nonEmpty(js("msg_desc")) ?? nonEmpty(meta["twitter:description"])

    let canonicalLink = dom.elements(.link).first {
      dom.attr($0, "rel")?.lowercased().split(separator: " ").contains("canonical") == true
    }.flatMap { dom.attr($0, "href") }
    canonicalURL = nonEmpty(canonicalLink) ?? nonEmpty(meta["og:url"]) ?? nonEmpty(js("msg_link"))
    baseHref = dom.elements(.base).lazy.compactMap { dom.attr($0, "href") }.first
  }

  /// Drops a site-name suffix (or prefix) from a `<title>`: "Headline | Site", "Headline_36氪".
  static func stripSiteSuffix(_ title: String, siteName: String?) -> String {
    let t = collapse(title)
    for sep in [" | ", " - ", " – ", " — ", "_", " :: ", " · ", " « ", " » ", "｜", " | "] {
      guard let r = t.range(of: sep, options: .backwards) else { continue }
      let head = collapse(String(t[..<r.lowerBound]))
      let tail = collapse(String(t[r.upperBound...]))
      if let siteName, head == siteName, !tail.isEmpty { return tail }
      if !head.isEmpty && (tail.count <= head.count || tail == siteName) { return head }
    }
    return t
  }
}
