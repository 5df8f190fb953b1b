import Foundation
import Testing
import SourcekeepTestSupport
@testable import SourcekeepCore

@Suite struct SeedDigestTests {
  let digest: Digest

  init() throws {
    digest = try DigestReader().read(SharedFixtures.url("seeds/2026-02-17.md").path)
  }

  @Test func titleAndDateComeFromTheHeading() {
    #expect(digest.title == "🤖 AI行业速递 - 2026年02月17日")
    #expect(digest.date == "2026-02-17")
    #expect(digest.dateSource == .heading)
  }

  @Test func everyEntryIsReadWithItsCategory() {
    #expect(digest.entries.count == 10)
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

  @Test func sourceLinesGiveFourteenSourceCitationsWithPublishers() {
    let sources = digest.citations.filter { $0.role == .source }
    #expect(sources.count == 14)
    #expect(digest.citations.count == 14)
    #expect(
      sources.prefix(4).map { $0.publisher ?? "" } == ["极客公园", "赛博禅心", "量子位", "机器之心"])
    #expect(sources[0].url.string == "https://mp.weixin.qq.com/s/AZI8tjd2TqR7uWwOK6ts7w")
    #expect(sources[0].entryPosition == 0)
    #expect(sources[0].line == 6)
    #expect(sources[4].publisher == "36氪")
    #expect(sources[4].entryPosition == 1)
    let publishers = Set(sources.compactMap(\.publisher))
    #expect(
      publishers == [
        "极客公园", "赛博禅心", "量子位", "机器之心", "36氪", "智能涌现", "有机大橘子", "互联网AI早读课",
        "数字生命卡兹克", "卡尔的霍格沃茨",
      ])
    #expect(Set(digest.citations.map(\.url)).count == 14)
  }
}

@Suite struct FixtureDigestTests {
  @Test func fixtureDigestWithBaseReplacedCitesSixteenPagesWithTheRightEdgeCases() throws {
    let template = try String(contentsOf: SharedFixtures.url("fixtures/digests/2026-02-17.md"), encoding: .utf8)
    let dir = TempDirectory()
    let path = dir.write("2026-02-17.md", template.replacingOccurrences(of: "{BASE}", with: "http://127.0.0.1:8123"))
    let digest = try DigestReader().read(path)
    #expect(digest.entries.count == 5)
    let sources = digest.citations.filter { $0.role == .source }
    #expect(sources.count == 16)
    #expect(Set(sources.map(\.url)).count == 16)
    #expect(sources.allSatisfy { $0.url.string.hasPrefix("http://127.0.0.1:8123/") })
    // The long link keeps its query (== and &) and loses its #fragment.
    let long = try #require(sources.first { $0.publisher == "硬氪" })
    #expect(long.url.string.contains("/s?__biz=Mzg5MDQ4NzE2Mw==&mid=2247483921&idx=1&sn="))
    #expect(!long.url.string.contains("#"))
    #expect(long.rawURL.hasSuffix("#wechat_redirect"))
    // The temporary link keeps the * in its signature.
    let expired = try #require(sources.first { $0.publisher == "有机大橘子" })
    #expect(expired.url.string.contains("*"))
    // The same publisher cited with a WeChat link and a news-site link stays two citations.
    #expect(sources.filter { $0.publisher == "36氪" }.count == 2)
    #expect(sources.filter { $0.publisher == "量子位" }.count == 2)
    let expected = try JSONSerialization.jsonObject(
      with: Data(contentsOf: SharedFixtures.url("fixtures/pages/expected.json"))) as! [String: Any]
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
