import Foundation
import GRDB
import SKZlib
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// `search` over the contentless trigram index and the compressed bodies, on a real SQLite
/// file: both query paths (3+ characters through the index, shorter ones by scanning), case,
/// snippets and limits; and the drift reference text read back from the compressed body.
@Suite struct SearchTests {
  let dir = TempDirectory()
  let machine = LinkStateMachine(deadAfterFailures: 3, deadAfter: 0)

  /// A catalog whose digest cites `count` links, in id order.
  func seeded(_ count: Int) throws -> (Catalog, [LinkToFetch]) {
    let catalog = try Catalog(path: dir.path + "/catalog.sqlite")
    let sources = (0..<count).map { "[p\($0)](https://example.com/a/\($0))" }.joined(separator: " 、 ")
    let path = dir.write("2026-02-17.md", "# d 2026年02月17日\n## 千问\n> **来源：** \(sources)\n")
    _ = try catalog.registerDigest(try DigestReader().read(path))
    return (catalog, try catalog.linksToCapture())
  }

  func capture(
    _ catalog: Catalog, _ link: LinkToFetch, title: String?, text: String?, recordType: String = "response",
    at date: Date = Date()
  ) throws {
    let snapshot = SnapshotRecord(
      capturedAt: date, status: .ok, httpStatus: 200, finalURL: link.url, recordType: recordType,
      location: WARCFile.Location(file: "warc/t.warc.gz", offset: link.id * 1000, length: 1000),
      metadataOffset: nil, payloadDigest: "sha1:T\(link.id)", title: title, publisher: "量子位", author: nil,
      published: nil, truncated: false, text: text)
    try catalog.recordCheck(
      CheckRecord(linkID: link.id, checkedAt: date, status: .ok, httpStatus: 200), snapshot: snapshot,
      machine: machine, nextCheck: nil)
    // Into the index, as the archive sink does a batch later: these tests ask the index.
    try catalog.indexQueuedTexts()
  }

  @Test func chineseSubstringsOfThreeOrMoreCharactersAreFoundThroughTheIndex() throws {
    let (catalog, links) = try seeded(2)
    try capture(catalog, links[0], title: "千问3.5发布", text: "阿里发布千问3.5，极致稀疏MoE架构实现性能超越闭源模型。")
    try capture(catalog, links[1], title: "春晚机器人", text: "宇树科技的机器人在春晚舞台上完成了高难度动作。")
    let hits = try catalog.search("极致稀疏")
    #expect(hits.map(\.url) == [links[0].url])
    #expect(hits.first?.snippet == "阿里发布千问3.5，[极致稀疏]MoE架构实现性能超越闭源模型。")
    #expect(hits.first?.title == "千问3.5发布")
    #expect(hits.first?.publisher == "量子位")
    #expect(hits.first?.digestDates == ["2026-02-17"])
    #expect(try catalog.search("春晚舞台").map(\.url) == [links[1].url])
    #expect(try catalog.search("春晚机器人").map(\.url) == [links[1].url])  // the title alone
    #expect(try catalog.search("不存在的词").isEmpty)
  }

  @Test func articlesHoldingEveryTrigramButNotTheSubstringAreNotHits() throws {
    // The index has no positions: both texts hold every trigram of 推理开源模型 (推理开 理开源
    // 开源模 源模型), only the first holds the phrase. The check against the stored text
    // must drop the second, and the limit counts verified hits only.
    let (catalog, links) = try seeded(3)
    try capture(catalog, links[0], title: "甲", text: "阿里的推理开源模型发布了。")
    try capture(catalog, links[1], title: "乙", text: "推理开源的生态，开源模型的成本。")
    try capture(catalog, links[2], title: "丙", text: "又一个推理开源模型。")
    #expect(Catalog.trigramQuery("推理开源模型") == "\"推理开\" AND \"理开源\" AND \"开源模\" AND \"源模型\"")
    #expect(Set(try catalog.search("推理开源模型").map(\.url)) == [links[0].url, links[2].url])
    #expect(try catalog.search("推理开源模型", limit: 1).count == 1)
    #expect(try catalog.search("abcab").isEmpty)
    try capture(catalog, links[1], title: "乙", text: "abca cab bca")
    #expect(try catalog.search("abcab").isEmpty)
  }

  @Test func shortQueriesScanTitlesPublishersAndBodies() throws {
    let (catalog, links) = try seeded(3)
    try capture(catalog, links[0], title: "模型发布", text: "千问开源了新的模型。")
    try capture(catalog, links[1], title: "千问评测", text: "本文比较几个开源模型的推理成本。")
    try capture(catalog, links[2], title: "春晚", text: "机器人表演。")
    let hits = try catalog.search("千问")
    #expect(hits.map(\.url) == [links[0].url, links[1].url])  // body, then title
    #expect(hits.first?.snippet == "[千问]开源了新的模型。")
    #expect(hits.last?.snippet == "本文比较几个开源模型的推理成本。")  // a title match: the text's start
    #expect(try catalog.search("量子").count == 3)  // every publisher
    #expect(try catalog.search("鲸").isEmpty)
    // LIKE wildcards are literal characters, not patterns.
    #expect(try catalog.search("%").isEmpty)
    #expect(try catalog.search("_").isEmpty)
  }

  @Test func asciiIsCaseInsensitiveOnBothPaths() throws {
    let (catalog, links) = try seeded(1)
    try capture(catalog, links[0], title: nil, text: "DeepSeek released an open MoE model; AI labs took note.")
    let long = try catalog.search("deepseek")
    #expect(long.count == 1)
    #expect(long.first?.snippet.contains("[DeepSeek]") == true)
    #expect(long.first?.title == nil)
    // A quoted phrase is matched (and marked) as written, case folded; bare words each on their own.
    #expect(try catalog.search("\"moe MODEL\"").first?.snippet.contains("[MoE model]") == true)
    #expect(try catalog.search("moe MODEL").count == 1)
    #expect(try catalog.search("ai").first?.snippet.contains("[AI]") == true)
    #expect(try catalog.search("Ai").count == 1)
  }

  @Test func aLongBodyGivesACutSnippetAroundTheMatch() throws {
    let (catalog, links) = try seeded(1)
    let text = String(repeating: "前文", count: 200) + "极致稀疏MoE架构" + String(repeating: "后文", count: 200)
    try capture(catalog, links[0], title: "t", text: text)
    for query in ["稀疏MoE", "稀疏"] {
      let snippet = try #require(try catalog.search(query).first?.snippet)
      #expect(snippet.hasPrefix("…"))
      #expect(snippet.hasSuffix("…"))
      #expect(snippet.contains("[\(query)]"))
      #expect(snippet.count == 1 + 24 + query.count + 2 + 24 + 1)
    }
  }

  @Test func theLimitIsHonouredOnBothPaths() throws {
    let (catalog, links) = try seeded(6)
    for link in links { try capture(catalog, link, title: "第\(link.id)篇", text: "稀疏注意力架构，第\(link.id)篇。") }
    #expect(try catalog.search("稀疏注意力", limit: 4).count == 4)
    #expect(try catalog.search("稀疏", limit: 4).map(\.url) == links.prefix(4).map(\.url))
    #expect(try catalog.search("稀疏注意力").count == 6)
    #expect(try catalog.search("稀疏", limit: 0).isEmpty)
  }

  @Test func theDriftReferenceIsTheFirstCapturesTextReadBackWhole() throws {
    let (catalog, links) = try seeded(1)
    let first = "千问3.5发布：397B总参数只激活17B。🚀 Mixed 文本 with ASCII.\n第二段。"
    try capture(catalog, links[0], title: "t", text: first, at: Date(timeIntervalSince1970: 1_000))
    try capture(catalog, links[0], title: "t", text: "改版后的页面。", at: Date(timeIntervalSince1970: 2_000))
    try capture(catalog, links[0], title: "t", text: nil, recordType: "revisit", at: Date(timeIntervalSince1970: 3_000))
    #expect(try catalog.linksToCheck(all: true).first.flatMap { try catalog.referenceText(for: $0) } == first)
  }

  @Test func aDamagedBodyFailsTheSearchAndTheReferenceReadNamingTheSnapshot() throws {
    let (catalog, links) = try seeded(1)
    try capture(catalog, links[0], title: "t", text: "千问3.5发布，混合注意力架构。")
    let queue = try DatabaseQueue(path: catalog.path)
    try queue.write { db in
      // Flip a byte inside the deflate data: the gzip CRC-32 catches what SQLite cannot.
      try db.execute(sql: "UPDATE snapshot_body SET body = substr(body, 1, 15) || x'FF' || substr(body, 17)")
    }
    #expect(throws: CatalogError.self) { try catalog.search("千问") }
    // The damaged drift reference surfaces (drift detection must not go quietly off).
    let link = try #require(try catalog.linksToCheck(all: true).first)
    let snapshot = try #require(link.referenceSnapshot)
    let error = try #require(throws: CatalogError.self) { try catalog.referenceText(for: link) }
    #expect(error.cause == .damagedText(snapshot: snapshot))
    #expect(error.underlying is ZlibError)
    #expect(error.description.contains(catalog.path) && error.description.contains(link.url))
  }

  @Test func aLinkWithoutTextHasNoReference() throws {
    let (catalog, links) = try seeded(1)
    try capture(catalog, links[0], title: "t", text: nil)
    #expect(try catalog.linksToCheck(all: true).first.flatMap { try catalog.referenceText(for: $0) } == nil)
  }
}
