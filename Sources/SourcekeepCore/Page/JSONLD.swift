import Foundation

/// The article facts found in a page's JSON-LD blocks (`<script type="application/ld+json">`).
///
/// Why: WordPress SEO plugins and news CMSs put the most reliable headline, author,
/// publisher and dates there, often as an `@graph` with `@id` references between nodes
/// and with arrays where one value would do; this flattens all of that.
struct JSONLD {
  var headline: String?
  var description: String?
  var datePublished: String?
  var authors: [String] = []
  var publisher: String?
  var language: String?
  var url: String?
  /// The article's full text (`articleBody`), which some templates put only here and render
  /// by script.
  var articleBody: String?

  static let articleTypes: Set<String> = [
    "Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle",
    "OpinionNewsArticle", "TechArticle", "ScholarlyArticle", "Report", "LiveBlogPosting", "SocialMediaPosting",
  ]

  /// Reads every block (invalid JSON is skipped) and picks the first article-typed node,
  /// else the first WebPage node.
  init(blocks: [String]) {
    var objects: [[String: Any]] = []
    for block in blocks {
      guard let data = block.data(using: .utf8),
        let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
      else { continue }
      Self.flatten(json, into: &objects)
    }
    var byID: [String: [String: Any]] = [:]
    for o in objects { if let id = o["@id"] as? String, byID[id] == nil || o.count > byID[id]!.count { byID[id] = o } }
    func types(_ o: [String: Any]) -> [String] {
      if let t = o["@type"] as? String { return [t] }
      return (o["@type"] as? [Any])?.compactMap { $0 as? String } ?? []
    }
    let article =
      objects.first { types($0).contains { Self.articleTypes.contains($0) } }
      ?? objects.first { types($0).contains("WebPage") }
    guard let article else { return }
    func resolve(_ v: Any?) -> Any? {
      if let d = v as? [String: Any], d.count == 1, let id = d["@id"] as? String, let full = byID[id] { return full }
      return v
    }
    func names(_ v: Any?) -> [String] {
      switch resolve(v) {
      case let s as String: return [s]
      case let d as [String: Any]: return (d["name"] as? String).map { [$0] } ?? []
      case let a as [Any]: return a.flatMap { names($0) }
      default: return []
      }
    }
    func string(_ v: Any?) -> String? {
      switch v {
      case let s as String: return s
      case let a as [Any]: return a.first.flatMap { string($0) }
      case let n as NSNumber: return n.stringValue
      default: return nil
      }
    }
    headline = string(article["headline"]) ?? string(article["name"])
    description = string(article["description"])
    datePublished = string(article["datePublished"]) ?? string(article["dateCreated"])
    authors = names(article["author"]).map { collapse($0) }.filter { !$0.isEmpty }
    publisher = names(article["publisher"]).first
    language = string(article["inLanguage"])
    url = string(article["url"])
    articleBody = string(article["articleBody"])
  }

  private static func flatten(_ json: Any, into out: inout [[String: Any]]) {
    if let a = json as? [Any] {
      for x in a { flatten(x, into: &out) }
    } else if let d = json as? [String: Any] {
      out.append(d)
      if let g = d["@graph"] { flatten(g, into: &out) }
    }
  }
}
