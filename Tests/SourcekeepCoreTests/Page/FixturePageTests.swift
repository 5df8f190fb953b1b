import Foundation
import SourcekeepCore
import SourcekeepTestSupport
import Testing

/// The project's fixture pages (Tests/Fixtures/pages/expected.json) extracted exactly as served.
struct FixturePageTests {
  struct Expected: Decodable {
    struct Article: Decodable {
      var title: String
      var publisher: String
      var author: String
      var published: String
      var textFirst30: String
      var textLast30: String
      var imageCount: Int
      var firstImage: String
      var description: String
      var canonicalUrl: String
      var charset: String
      var longUrl: String?
      var language: String?
      /// Sentences the main text holds verbatim (inline pieces joined without spaces).
      var textContains: [String]?
      /// Boilerplate around the body that must stay out of the main text.
      var textAbsent: [String]?
    }
    struct Page: Decodable {
      var file: String
      var url: String
      var originalUrl: String
      var contentType: String
      var classification: String
      var reason: String?
      var evidence: String?
      var article: Article?
      var transferTarget: String?
      var bytes: Int
    }
    var pages: [Page]
  }

  static let pages: [Expected.Page] = {
    let data = try! Data(contentsOf: TestFixtures.url("pages/expected.json"))
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try! decoder.decode(Expected.self, from: data).pages
  }()

  static func facts(_ page: Expected.Page) throws -> PageFacts {
    let bytes = try TestFixtures.page(page.file)
    return try PageExtractor().extract(body: bytes, url: page.originalUrl, contentType: page.contentType)
  }

  @Test(arguments: pages.map(\.file))
  func everyExpectedFieldMatches(file: String) throws {
    let page = try #require(Self.pages.first { $0.file == file })
    #expect(try TestFixtures.page(file).count == page.bytes, "expected.json's bytes is stale for \(file)")
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
    #expect(String(f.text.prefix(30)) == a.textFirst30)
    #expect(String(f.text.suffix(30)) == a.textLast30)
    #expect(f.images.count == a.imageCount)
    #expect(f.images.first == a.firstImage)
    #expect(f.description == a.description)
    #expect(f.canonicalURL == a.canonicalUrl)
    #expect(f.charset == a.charset)
    #expect(f.longURL == a.longUrl)
    #expect(f.language.map { String($0.prefix { $0 != "-" }) } == a.language)
    for sentence in a.textContains ?? [] { #expect(f.text.contains(sentence), "\(file) lacks \(sentence)") }
  }

  @Test(arguments: pages.filter { !($0.article?.textAbsent ?? []).isEmpty }.map(\.file))
  func boilerplateStaysOutOfTheMainText(file: String) throws {
    let page = try #require(Self.pages.first { $0.file == file })
    let text = try Self.facts(page).text
    for phrase in page.article?.textAbsent ?? [] { #expect(!text.contains(phrase), "\(phrase) leaked into \(file)") }
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

  /// `extract --jsonl` extracts without structure: every contract field is the same, only the
  /// blocks and requisites it never prints are left out.
  @Test func extractionWithoutStructureGivesTheSameFacts() throws {
    for page in Self.pages {
      let bytes = try TestFixtures.page(page.file)
      let full = try PageExtractor().extract(body: bytes, url: page.originalUrl, contentType: page.contentType)
      let plain = try PageExtractor(structure: false).extract(
        body: bytes, url: page.originalUrl, contentType: page.contentType)
      #expect(plain == full, "\(page.file)")
      #expect(plain.blocks.isEmpty && plain.requisites.isEmpty, "\(page.file)")
      // (The full extraction's blocks are not empty for an article: the comparison says something.)
      if page.article != nil { #expect(!full.blocks.isEmpty, "\(page.file)") }
    }
  }

  @Test func migratedPageNamesItsTransferTarget() throws {
    let page = try #require(Self.pages.first { $0.file == "wechat-migrated.html" })
    #expect(try Self.facts(page).transferTarget == page.transferTarget)
  }

  @Test func theGBKPageDecidesItsCharsetByMetaWithoutAHeaderCharset() throws {
    let page = try #require(Self.pages.first { $0.file.contains("gbk") })
    let f = try Self.facts(page)
    #expect(f.charset == "gbk")
    // Read wrongly (as Latin-1 or UTF-8), the title would not match.
    #expect(f.title == page.article?.title)
    #expect(f.title?.hasPrefix("元宵红包活动") == true)
    #expect(!f.text.contains("\u{FFFD}"))
  }

  @Test func contractJSONHasExactlyTheDesignKeys() throws {
    let page = try #require(Self.pages.first { $0.file == "news-linghand-chenxing.html" })
    let data = try JSONEncoder().encode(try Self.facts(page))
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(
      Set(object.keys) == [
        "url", "canonical_url", "title", "site_name", "publisher", "author", "published", "language",
        "description", "text", "images", "links", "charset", "soft404", "blocked",
      ])
  }
}
