import Foundation
import SourcekeepCore
import SourcekeepTestSupport
import Testing

/// The shared fixture pages (fixtures/pages/expected.json) extracted exactly as served.
struct FixturePageTests {
  struct Expected: Decodable {
    struct Article: Decodable {
      var title: String
      var publisher: String
      var author: String
      var published: String
      var text_first_30: String
      var text_last_30: String
      var image_count: Int
      var first_image: String
      var description: String
      var canonical_url: String
      var charset: String
      var long_url: String?
    }
    struct Page: Decodable {
      var file: String
      var url: String
      var original_url: String?
      var content_type: String
      var classification: String
      var reason: String?
      var evidence: String?
      var article: Article?
      var transfer_target: String?
    }
    var pages: [Page]
  }

  static let pages: [Expected.Page] = {
    let data = try! Data(contentsOf: SharedFixtures.url("fixtures/pages/expected.json"))
    return try! JSONDecoder().decode(Expected.self, from: data).pages
  }()

  static func facts(_ page: Expected.Page) throws -> PageFacts {
    let bytes = try [UInt8](Data(contentsOf: SharedFixtures.url("fixtures/pages/" + page.file)))
    let url = page.original_url ?? ("https://arena-notes.example" + page.url)
    return try PageExtractor().extract(body: bytes, url: url, contentType: page.content_type)
  }

  @Test(arguments: pages.map(\.file))
  func everyExpectedFieldMatches(file: String) throws {
    let page = try #require(Self.pages.first { $0.file == file })
    let f = try Self.facts(page)
    switch page.classification {
    case "ok":
      #expect(f.soft404 == nil)
      #expect(!f.blocked)
    case "soft-404":
      #expect(f.soft404?.reason.rawValue == page.reason)
      #expect(f.soft404?.evidence == page.evidence)
      #expect(!f.blocked)
    case "blocked":
      #expect(f.blocked)
      #expect(f.soft404 == nil)
      #expect(f.blockedEvidence == page.evidence)
    default:
      Issue.record("unknown classification \(page.classification)")
    }
    guard let a = page.article else { return }
    #expect(f.title == a.title)
    #expect(f.publisher == a.publisher)
    #expect(f.author == a.author)
    #expect(f.published == a.published)
    #expect(String(f.text.prefix(30)) == a.text_first_30)
    #expect(String(f.text.suffix(30)) == a.text_last_30)
    #expect(f.images.count == a.image_count)
    #expect(f.images.first == a.first_image)
    #expect(f.description == a.description)
    #expect(f.canonicalURL == a.canonical_url)
    #expect(f.charset == a.charset)
    if let long = a.long_url { #expect(f.longURL == long) }
  }

  @Test(arguments: [
    ("qbitai-openclaw-openai.html", ["相关阅读", "还没有评论", "二维码", "版权所有", "首页", "热门文章", "来源：量子位"]),
    ("36kr-qianwen-freebie-gbk.html", ["推荐阅读", "二维码", "阅读 2.1万", "快讯"]),
    ("wechat-qwen35-qbitai.html", ["微信扫一扫", "喜欢此内容的人还喜欢", "留言", "在看"]),
  ])
  func boilerplateStaysOutOfTheMainText(file: String, phrases: [String]) throws {
    let page = try #require(Self.pages.first { $0.file == file })
    let text = try Self.facts(page).text
    for phrase in phrases { #expect(!text.contains(phrase), "\(phrase) leaked into \(file)") }
  }

  @Test func contractJSONRoundTrips() throws {
    for page in Self.pages {
      var facts = try Self.facts(page)
      let decoded = try JSONDecoder().decode(PageFacts.self, from: JSONEncoder().encode(facts))
      facts.blockedEvidence = nil
      facts.longURL = nil
      facts.transferTarget = nil
      #expect(decoded == facts, "\(page.file)")
    }
  }

  @Test func migratedPageNamesItsTransferTarget() throws {
    let page = try #require(Self.pages.first { $0.file == "wechat-migrated.html" })
    #expect(try Self.facts(page).transferTarget == page.transfer_target)
  }

  @Test func theGBKPageDecidesItsCharsetByMetaWithoutAHeaderCharset() throws {
    let page = try #require(Self.pages.first { $0.file.contains("gbk") })
    let f = try Self.facts(page)
    #expect(f.charset == "gbk")
    #expect(f.title == "千问春节免单8分钟抢空5万张，吴嘉：这是一场全社会的AI压力测试")
    #expect(!f.text.contains("\u{FFFD}"))
  }

  @Test func contractJSONHasExactlyTheDesignKeys() throws {
    let page = try #require(Self.pages.first { $0.file.contains("qbitai") && $0.classification == "ok" })
    let data = try JSONEncoder().encode(try Self.facts(page))
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(
      Set(object.keys) == [
        "url", "canonical_url", "title", "site_name", "publisher", "author", "published", "language",
        "description", "text", "images", "links", "charset", "soft404", "blocked",
      ])
  }
}
