import Foundation
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// Search as the README promises (issue #19): several words match pages holding all of them in
/// any order, a quoted phrase matches as written, and the publisher a digest cites is searched
/// and shown (docs/design.md#search).
@Suite struct SearchQueryTests {
  let dir = TempDirectory()
  let machine = LinkStateMachine(deadAfterFailures: 3, deadAfter: 0)

  /// A catalog citing three links under 量子位, 机器之心 and 新智元, each captured with its text
  /// and no publisher of its own (a WeChat page often names none the extractor can read).
  func seeded() throws -> (Catalog, [LinkToFetch]) {
    let catalog = try Catalog(path: dir.path + "/catalog.sqlite")
    let path = dir.write(
      "2026-02-17.md",
      "# d 2026年02月17日\n## 千问\n> **来源：** [量子位](https://example.com/a) 、 [机器之心](https://example.com/b) 、 "
        + "[新智元](https://example.com/c)\n")
    _ = try catalog.registerDigest(try DigestReader().read(path))
    let links = try catalog.linksToCapture()
    let texts = [
      "阿里发布千问3.5，宣布全面开源，性能超越闭源模型。",
      "开源社区讨论：千问的推理能力如何？",
      "宇树科技的机器人在春晚舞台上 open source the robot stack.",
    ]
    for (link, text) in zip(links, texts) {
      let snapshot = SnapshotRecord(
        capturedAt: Date(), status: .ok, httpStatus: 200, finalURL: link.url, recordType: "response",
        location: WARCFile.Location(file: "warc/t.warc.gz", offset: link.id * 1000, length: 1000),
        metadataOffset: nil, payloadDigest: "sha1:T\(link.id)", title: "t\(link.id)", publisher: nil, author: nil,
        published: nil, truncated: false, text: text)
      try catalog.recordCheck(
        CheckRecord(linkID: link.id, checkedAt: Date(), status: .ok, httpStatus: 200), snapshot: snapshot,
        machine: machine, nextCheck: nil)
    }
    return (catalog, links)
  }

  @Test func queriesSplitIntoWordsAndQuotedPhrases() {
    #expect(SearchQuery("千问 开源").terms == ["千问", "开源"])
    #expect(SearchQuery("\"open source\" robot").terms == ["open source", "robot"])
    #expect(SearchQuery("  “全面开源”  ").terms == ["全面开源"])
    #expect(SearchQuery("a a").terms == ["a"])
    #expect(SearchQuery("   ").terms.isEmpty)
  }

  @Test func everyWordMustAppearInAnyOrder() throws {
    let (catalog, links) = try seeded()
    #expect(Set(try catalog.search("千问 开源").map(\.url)) == [links[0].url, links[1].url])
    #expect(Set(try catalog.search("开源 千问").map(\.url)) == [links[0].url, links[1].url])
    #expect(try catalog.search("千问 春晚").isEmpty)
    // A longer word goes through the index, the short one is checked against each candidate.
    #expect(try catalog.search("全面开源 千问").map(\.url) == [links[0].url])
  }

  @Test func aQuotedPhraseMatchesOnlyAsWritten() throws {
    let (catalog, links) = try seeded()
    #expect(try catalog.search("\"open source\"").map(\.url) == [links[2].url])
    #expect(try catalog.search("\"source open\"").isEmpty)
    #expect(try catalog.search("source open").map(\.url) == [links[2].url])
  }

  @Test func theCitedPublisherIsSearchedAndShown() throws {
    let (catalog, links) = try seeded()
    let hits = try catalog.search("量子位")
    #expect(hits.map(\.url) == [links[0].url])
    #expect(hits.first?.publisher == "量子位", "the digest's publisher stands in for a page without one")
    #expect(hits.first?.citedPublishers == ["量子位"])
    #expect(hits.first?.state == "alive")
    #expect(try catalog.search("机器之心 推理").map(\.url) == [links[1].url])
    let all = try catalog.search("开源")
    #expect(all.allSatisfy { $0.publisher != nil })
  }
}
