import Foundation
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// The example digest in the repository (examples/digests/2026-02-17.md, the seed digest's
/// format with real WeChat links, never fetched): counts are compared with the raw file.
@Suite struct SeedDigestTests {
  let digest: Digest
  let raw: RawDigestCounts

  init() throws {
    let url = TestFixtures.exampleDigest("2026-02-17.md")
    digest = try DigestReader().read(url.path)
    raw = RawDigestCounts(markdown: try String(contentsOf: url, encoding: .utf8))
  }

  @Test func titleAndDateComeFromTheHeading() {
    #expect(digest.title == "🤖 AI行业速递 - 2026年02月17日")
    #expect(digest.date == "2026-02-17")
    #expect(digest.dateSource == .heading)
  }

  @Test func everyEntryIsReadWithItsCategory() {
    #expect(raw.entries > 3)
    #expect(digest.entries.count == raw.entries)
    #expect(digest.entries[0].title.hasPrefix("千问3.5发布：极致稀疏MoE架构"))
    #expect(digest.entries[0].category == "技术前沿解读")
    #expect(digest.entries[1].category == "产品与商业模式")
    #expect(digest.entries[2].category == "观点洞察")
    #expect(digest.entries[3].category == "市场动态")
    #expect(digest.entries.allSatisfy { $0.category != nil && $0.insight != nil })
    #expect(digest.entries[0].insight?.hasPrefix("千问3.5的突破性发布") == true)
    #expect(digest.entries[0].bullets.count == 7)
    #expect(digest.entries[0].bullets[0].hasPrefix("模型规格与架构创新"))
  }

  @Test func sourceLinesGiveOneSourceCitationPerLinkWithItsPublisher() {
    let sources = digest.citations.filter { $0.role == .source }
    #expect(raw.sources.count > 4)
    #expect(sources.count == raw.sources.count)
    #expect(digest.citations.count == raw.sources.count)
    #expect(sources.map { $0.publisher ?? "" } == raw.sources.map(\.publisher))
    #expect(
      sources.prefix(4).map { $0.publisher ?? "" } == ["极客公园", "赛博禅心", "量子位", "机器之心"])
    #expect(sources[0].url.string == "https://mp.weixin.qq.com/s/AZI8tjd2TqR7uWwOK6ts7w")
    #expect(sources[0].entryPosition == 0)
    #expect(sources[0].line == 6)
    #expect(sources[4].publisher == "36氪")
    #expect(sources[4].entryPosition == 1)
    #expect(Set(sources.compactMap(\.publisher)) == raw.publishers)
    #expect(Set(digest.citations.map(\.url)).count == raw.distinctURLs)
  }
}

@Suite struct FixtureDigestTests {
  @Test func fixtureDigestWithBaseReplacedCitesEveryPageOnceWithTheRightEdgeCases() throws {
    let template = try String(contentsOf: TestFixtures.url(TestFixtures.digestTemplate), encoding: .utf8)
    let dir = TempDirectory()
    defer { withExtendedLifetime(dir) {} }
    let markdown = template.replacingOccurrences(of: "{BASE}", with: "http://127.0.0.1:8123")
    let path = dir.write("2026-03-09.md", markdown)
    let digest = try DigestReader().read(path)
    let raw = RawDigestCounts(markdown: markdown)
    #expect(digest.date == "2026-03-09")
    #expect(digest.entries.count == raw.entries)
    let pageCount = try FixtureSite().pages.count
    let sources = digest.citations.filter { $0.role == .source }
    #expect(sources.count == pageCount)
    #expect(raw.sources.count == pageCount)
    #expect(Set(sources.map(\.url)).count == pageCount)
    #expect(sources.allSatisfy { $0.url.string.hasPrefix("http://127.0.0.1:8123/") })
    // The long link keeps its query (== and &) and loses its #fragment.
    let long = try #require(sources.first { $0.publisher == "钢铁侠笔记" })
    #expect(long.url.string.contains("/s?__biz=MzI4NzY1OTc0Mg==&mid=2247512044&idx=1&sn="))
    #expect(!long.url.string.contains("#"))
    #expect(long.rawURL.hasSuffix("#wechat_redirect"))
    // The temporary link keeps the * in its signature.
    let expired = try #require(sources.first { $0.publisher == "橘子电台" })
    #expect(expired.url.string.contains("*"))
    // The same publisher cited with a WeChat link and a news-site link stays two citations.
    #expect(sources.filter { $0.publisher == "潮汐财经" }.count == 2)
    #expect(sources.filter { $0.publisher == "晨星科技" }.count == 2)
    let expected =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: TestFixtures.url("pages/expected.json"))) as! [String: Any]
    let pages = expected["pages"] as! [[String: Any]]
    for page in pages {
      let citation = page["digest_citation"] as! [String: Any]
      let publisher = citation["publisher"] as! String
      let entry = citation["entry"] as! String
      let link = (citation["link"] as! String).replacingOccurrences(of: "{BASE}", with: "http://127.0.0.1:8123")
      let url = String(link.split(separator: "#").first!)
      #expect(
        sources.contains { $0.publisher == publisher && $0.url.string == url && $0.entryTitle == entry },
        "no source citation \(publisher) → \(url) in \(entry)")
    }
  }
}
