import Foundation
import GRDB
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// Page requisites end to end (docs/design.md#page-requisites): a WeChat-like article whose
/// lazy images sit on a second loopback host that answers a placeholder to a foreign
/// Referer, shared images stored once, the caps, failures that never fail the page.
@Suite(.serialized) struct RequisiteCaptureTests {
  let dir = TempDirectory()
  var layout: StoreLayout { StoreLayout(root: dir.path + "/data") }
  static let text = String(repeating: "这是一篇公众号文章的正文，图片都是懒加载的，没有脚本就看不到。", count: 10)

  func config(allowPrivate: Bool = true) -> Config {
    var c = Config()
    c.storage.dir = layout.root
    c.fetch.allowPrivateNetworks = allowPrivate
    c.fetch.perHostConcurrency = 4
    c.fetch.perHostIntervalMs = 0
    c.fetch.timeoutS = 5
    c.fetch.connectTimeoutS = 2
    c.fetch.retries = 0
    return c
  }

  struct Store {
    var catalog: Catalog
    var journal: Journal
  }

  func open() throws -> Store {
    try FileManager.default.createDirectory(atPath: layout.root, withIntermediateDirectories: true)
    return Store(catalog: try Catalog(path: layout.catalog), journal: Journal(directory: layout.journalDirectory))
  }

  /// Ingests a digest citing `urls` and returns the outcome of each.
  @discardableResult
  func ingest(
    _ urls: [String], store: Store, config c: Config, policy: RequisitePolicy, name: String = "2026-03-09.md"
  ) async throws -> [String: LinkOutcome] {
    let links = urls.enumerated().map { "[来源\($0.offset)](\($0.element))" }.joined(separator: " 、 ")
    let digest = dir.write(name, "# 速递\n\n## 一条新闻\n> **来源：** \(links)\n\n正文。\n")
    let fetcher = try Fetcher(config: c.fetch)
    let runner = LinkRunner(
      mode: .capture, config: c, fetcher: fetcher, catalog: store.catalog, journal: store.journal, layout: layout,
      configDigest: "sha1:TEST", requisites: policy)
    let outcomes = CaptureEndToEndTests.Outcomes()
    _ = try await IngestRun(catalog: store.catalog, journal: store.journal).run(
      paths: [], files: [digest], capture: CaptureStage(runner: runner, progress: { o, _ in outcomes.add(o) }))
    await fetcher.shutdown()
    return outcomes.byURL
  }

  func snapshotID(_ url: String, _ store: Store) throws -> Int64 {
    try #require(try store.catalog.allSnapshots().last { $0.url == url }).id
  }

  func record(_ r: Requisite) throws -> WARCRecord {
    let location = try #require(r.location)
    return try WARCFile.record(at: location.offset, in: layout.root + "/" + location.file).0
  }

  func expectArchiveSound(_ store: Store) throws {
    let verify = ArchiveVerifier(layout: layout).verify(
      try store.catalog.allSnapshots(), requisites: try store.catalog.allArchivedRequisites())
    #expect(verify.problems.isEmpty, "\(verify.problems)")
    #expect(verify.requisitesChecked > 0)
    for file in WARCWriter.files(in: layout.warcDirectory) {
      let check = try ExternalTool.run("warcio", ["check", layout.warcDirectory + "/" + file])
      #expect(check.status == 0, "warcio check \(file): \(check.output)")
    }
  }

  static func weChatPage(images: [String], extra: String = "") -> [UInt8] {
    let imgs = images.map { "<p><img data-src=\"\($0)\" src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\"></p>" }
    return Array(
      """
      <html><head><meta charset="utf-8"><title>公众号文章</title>
      <meta property="og:title" content="公众号文章"></head><body>
      <div id="js_content" style="visibility: hidden;"><p>\(text)</p>\(imgs.joined())\(extra)<p>\(text)</p></div>
      <script>var msg_title = "公众号文章";</script></body></html>
      """.utf8)
  }

  @Test func aWeChatLikeArticleKeepsItsImagesSharedOnesOnceAndFailuresNeverFailThePage() async throws {
    let server = try FixtureServer(addresses: ["127.0.0.1", "127.0.0.2"])
    defer { server.stop() }
    let article1 = server.url("/s/article1")
    let article2 = server.url("/s/article2")
    func img(_ seed: String, _ bytes: Int) -> String { server.url("/img/\(seed)/\(bytes)?referer=/s/article", host: 1) }
    let own = (0..<8).map { img("a1-\($0)", 20_000 + $0 * 1000) }
    let shared = [img("shared-logo", 15_000), img("shared-qr", 12_000)]
    let missing = server.url("/gone.png", host: 1)
    let huge = img("huge", 300_000)
    let pixel = "<p><img src=\"\(server.url("/img/pixel/43", host: 1))\" width=\"1\" height=\"1\"></p>"
    let inline = "<p><img src=\"data:image/png;base64,iVBORw0KGgo=\"></p>"
    let images1 = own.prefix(4) + [shared[0]] + own.dropFirst(4) + [shared[1], missing, huge]
    server.serve("/s/article1", .init(body: Self.weChatPage(images: Array(images1), extra: pixel + inline)))
    server.serve("/s/article2", .init(body: Self.weChatPage(images: shared + [img("a2-own", 9_000)])))

    let store = try open()
    let policy = RequisitePolicy(maxPerPage: 60, maxBytesEach: 100_000, maxBytesPerPage: 10 << 20)
    let first = try await ingest([article1], store: store, config: config(), policy: policy)
    #expect(first[article1]?.status == .ok)

    let rows = try store.catalog.requisites(forSnapshot: try snapshotID(article1, store))
    #expect(rows.map(\.url) == Array(images1))
    #expect(rows.map(\.position) == Array(0..<12))
    let byURL = Dictionary(uniqueKeysWithValues: rows.map { ($0.url, $0) })
    for url in own + shared {
      let r = try #require(byURL[url])
      #expect(r.status == .archived && r.recordType == "response" && r.httpStatus == 200, "\(r)")
      #expect(r.contentType == "image/png")
      // The real image, not the placeholder a foreign Referer gets.
      let seed = String(url.split(separator: "/")[3])
      let size = Int(url.split(separator: "/")[4].split(separator: "?")[0])!
      #expect(r.payloadDigest == SHA1.warcDigest(FixtureServer.image(seed: seed, bytes: size)))
      let rec = try record(r)
      #expect(rec.type == .response && rec.recordID == r.recordID && rec.targetURI == url)
    }
    #expect(byURL[missing]?.status == .gone && byURL[missing]?.httpStatus == 404 && byURL[missing]?.location == nil)
    #expect(byURL[huge]?.status == .tooLarge && byURL[huge]?.reason == "capture.max_requisite_mb")
    #expect(byURL[huge]?.location == nil)

    // Every image request carried the article as Referer and an image Accept; the tracking
    // pixel and the data: image were never requested.
    let imageRequests = server.requestLog.filter { $0.address == "127.0.0.2" }
    #expect(imageRequests.count == 12)
    for r in imageRequests {
      #expect(r.header("Referer") == article1, "\(r.target)")
      #expect(r.header("Accept")?.hasPrefix("image/") == true)
    }
    #expect(!imageRequests.contains { $0.target.contains("pixel") })

    // The page's metadata record lists its requisites with their record ids.
    let page = try #require(try store.catalog.allSnapshots().last { $0.url == article1 })
    let metaOffset = try #require(
      try store.catalog.read { db in
        try Int64.fetchOne(db, sql: "SELECT metadata_offset FROM snapshot WHERE id = ?", arguments: [page.id])
      })
    let meta = try WARCFile.record(at: metaOffset, in: layout.root + "/" + page.location.file).0
    let json = try #require(try JSONSerialization.jsonObject(with: Data(meta.block)) as? [String: Any])
    let listed = try #require(json["requisites"] as? [[String: Any]])
    #expect(listed.count == 12)
    #expect(listed.compactMap { $0["record_id"] as? String } == rows.compactMap(\.recordID))
    #expect(listed.first { ($0["url"] as? String) == missing }?["status"] as? String == "gone")

    // The second article shares two images: revisits of the first article's records.
    let second = try await ingest([article2], store: store, config: config(), policy: policy, name: "2026-03-10.md")
    #expect(second[article2]?.status == .ok)
    let rows2 = try store.catalog.requisites(forSnapshot: try snapshotID(article2, store))
    #expect(rows2.count == 3)
    for (i, url) in shared.enumerated() {
      let r = rows2[i]
      let original = try #require(byURL[url])
      #expect(r.status == .archived && r.recordType == "revisit" && !r.reused, "\(r)")
      let rec = try record(r)
      #expect(rec.type == .revisit && rec.recordID == r.recordID)
      #expect(rec.header("WARC-Refers-To") == original.recordID)
      #expect(rec.header("WARC-Refers-To-Target-URI") == url)
      #expect(rec.header("WARC-Profile") == WARCRecordBuilder.revisitProfile)
      #expect(rec.block.count < 400)  // the head only: the payload is stored once
    }
    let article2Requests = server.requestLog.filter { $0.address == "127.0.0.2" }.dropFirst(12)
    #expect(article2Requests.count == 3)
    #expect(article2Requests.allSatisfy { $0.header("Referer") == article2 })
    #expect(rows2[2].status == .archived && rows2[2].recordType == "response")
    // The newest record of a shared image is the revisit; its payload is the first record.
    let newest = try #require(try store.catalog.archivedRequisite(url: shared[0]))
    #expect(newest.recordID == rows2[0].recordID)
    let digest = try #require(newest.payloadDigest)
    let payload = try #require(try store.catalog.archivedPayload(digest: digest))
    #expect(payload.recordID == byURL[shared[0]]?.recordID && payload.recordType == "response")
    #expect(
      try store.catalog.archivedRequisite(url: shared[0], nearest: Date(timeIntervalSince1970: 0))?.recordID
        == byURL[shared[0]]?.recordID)
    try expectArchiveSound(store)
  }

  @Test func aRecaptureWithChangedContentFetchesOnlyTheImagesItDoesNotHaveYet() async throws {
    let server = try FixtureServer(addresses: ["127.0.0.1", "127.0.0.2"])
    defer { server.stop() }
    let article = server.url("/s/changing")
    let old = [server.url("/img/c-1/3000", host: 1), server.url("/img/c-2/3000", host: 1)]
    let new = server.url("/img/c-3/3000", host: 1)
    server.serve("/s/changing", .init(body: Self.weChatPage(images: old)))
    let store = try open()
    try await ingest([article], store: store, config: config(), policy: RequisitePolicy())
    let firstRows = try store.catalog.requisites(forSnapshot: try snapshotID(article, store))
    // A correction: one more sentence and one more image.
    server.serve("/s/changing", .init(body: Self.weChatPage(images: old + [new], extra: "<p>更正：补充一张图。</p>")))
    let fetcher = try Fetcher(config: config().fetch)
    let runner = LinkRunner(
      mode: .check, config: config(), fetcher: fetcher, catalog: store.catalog, journal: store.journal,
      layout: layout, configDigest: "sha1:TEST", requisites: RequisitePolicy())
    _ = await runner.run(try store.catalog.linksToCheck(all: true)) { _, _ in }
    await fetcher.shutdown()
    let rows = try store.catalog.requisites(forSnapshot: try snapshotID(article, store))
    #expect(rows.map(\.url) == old + [new])
    #expect(rows.map(\.reused) == [true, true, false])
    #expect(rows.prefix(2).map(\.recordID) == firstRows.map(\.recordID))
    #expect(rows.prefix(2).map(\.location) == firstRows.map(\.location))
    let imageTargets = server.requestLog.filter { $0.address == "127.0.0.2" }.map(\.target)
    #expect(imageTargets.sorted() == ["/img/c-1/3000", "/img/c-2/3000", "/img/c-3/3000"])
    try expectArchiveSound(store)
  }

  @Test func identicalPayloadsUnderOtherURLsAreRevisits() async throws {
    let server = try FixtureServer(addresses: ["127.0.0.1", "127.0.0.2"])
    defer { server.stop() }
    // Same seed and size under two URLs (a CDN's two names for one logo): one payload.
    let a = server.url("/img/logo/8000?v=1", host: 1)
    let b = server.url("/img/logo/8000?v=2", host: 1)
    let article = server.url("/s/logo")
    server.serve("/s/logo", .init(body: Self.weChatPage(images: [a, b])))
    let store = try open()
    try await ingest([article], store: store, config: config(), policy: RequisitePolicy())
    let rows = try store.catalog.requisites(forSnapshot: try snapshotID(article, store))
    #expect(rows.map(\.recordType) == ["response", "revisit"])
    let revisit = try record(rows[1])
    #expect(revisit.header("WARC-Refers-To") == rows[0].recordID)
    #expect(revisit.header("WARC-Refers-To-Target-URI") == a)
    try expectArchiveSound(store)
  }

  @Test func capsSkipTheRestAndAreJournaledOncePerPage() async throws {
    let server = try FixtureServer(addresses: ["127.0.0.1", "127.0.0.2"])
    defer { server.stop() }
    let images = (0..<10).map { server.url("/img/cap-\($0)/30000", host: 1) }
    let many = server.url("/s/many")
    let heavy = server.url("/s/heavy")
    server.serve("/s/many", .init(body: Self.weChatPage(images: images)))
    server.serve("/s/heavy", .init(body: Self.weChatPage(images: images.map { $0 + "?h" })))
    let store = try open()
    try await ingest(
      [many], store: store, config: config(), policy: RequisitePolicy(maxPerPage: 3, maxBytesPerPage: 10 << 20))
    let rows = try store.catalog.requisites(forSnapshot: try snapshotID(many, store))
    #expect(rows.prefix(3).allSatisfy { $0.status == .archived })
    #expect(rows.dropFirst(3).allSatisfy { $0.status == .skipped && $0.reason == "capture.max_requisites" })
    #expect(server.requestLog.filter { $0.address == "127.0.0.2" }.count == 3)

    try await ingest(
      [heavy], store: store, config: config(), policy: RequisitePolicy(maxPerPage: 60, maxBytesPerPage: 100_000),
      name: "2026-03-10.md")
    let heavyRows = try store.catalog.requisites(forSnapshot: try snapshotID(heavy, store))
    #expect(heavyRows.filter { $0.status == .archived }.count == 3)
    #expect(heavyRows.filter { $0.status == .archived }.reduce(0) { $0 + $1.bytes } <= 100_000)
    #expect(heavyRows.dropFirst(3).allSatisfy { $0.reason == "capture.max_requisites_mb_per_page" })

    let skipped = JournalReader(directory: layout.journalDirectory).lines().filter { $0.event == "requisites.skipped" }
    #expect(skipped.count == 2)
    try expectArchiveSound(store)
  }

  @Test func imagesOnAPrivateAddressAreExcludedWhilePrivateNetworksAreRefused() async throws {
    let server = try FixtureServer(addresses: ["127.0.0.1", "127.0.0.2"])
    defer { server.stop() }
    let article = server.url("/s/private")
    let image = server.url("/img/p/5000", host: 1)
    server.serve("/s/private", .init(body: Self.weChatPage(images: [image])))
    var c = config(allowPrivate: false)
    c.fetch.privateAllowlist = ["127.0.0.1/32"]
    let store = try open()
    let outcomes = try await ingest([article], store: store, config: c, policy: RequisitePolicy())
    #expect(outcomes[article]?.status == .ok)
    let rows = try store.catalog.requisites(forSnapshot: try snapshotID(article, store))
    #expect(rows.count == 1)
    #expect(rows[0].status == .excluded && rows[0].reason == "private-network" && rows[0].location == nil)
    #expect(server.requestLog.filter { $0.address == "127.0.0.2" }.isEmpty)
  }

  @Test func aRedirectedPageResolvesItsImagesAgainstTheFinalURL() async throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let html = "<html><body><article><p>\(Self.text)</p><p><img src=\"pics/a.png\"></p><p>\(Self.text)</p></article>"
    server.serve("/news/2026/story.html", .init(body: Array(html.utf8)))
    server.serve("/news/2026/pics/a.png", .init(headers: ["Content-Type: image/png"], body: [0x89, 0x50, 0x4E, 0x47]))
    let cited = server.url("/to?url=/news/2026/story.html")
    let store = try open()
    let outcomes = try await ingest([cited], store: store, config: config(), policy: RequisitePolicy())
    #expect(outcomes[cited]?.status == .redirected)
    let rows = try store.catalog.requisites(forSnapshot: try snapshotID(cited, store))
    #expect(rows.map(\.url) == [server.url("/news/2026/pics/a.png")])
    #expect(rows.first?.status == .archived)
    let request = try #require(server.requestLog.first { $0.target == "/news/2026/pics/a.png" })
    #expect(request.header("Referer") == server.url("/news/2026/story.html"))
    try expectArchiveSound(store)
  }

  @Test func aGBKNewsPageKeepsItsImages() async throws {
    let server = try FixtureServer()
    defer { server.stop() }
    // "新闻正文。" in GBK, repeated into a paragraph.
    let sentence: [UInt8] = [0xD0, 0xC2, 0xCE, 0xC5, 0xD5, 0xFD, 0xCE, 0xC4, 0xA1, 0xA3]
    let paragraph = Array([[UInt8]](repeating: sentence, count: 40).joined())
    let body =
      Array("<html><head><meta charset=\"gbk\"></head><body><div class=\"content\"><p>".utf8) + paragraph
      + Array("</p><p><img src=\"/img/gbk-1/4000\" alt=\"\"></p><p>".utf8) + paragraph
      + Array("</p><img src=\"/img/gbk-2/6000\"></div></body></html>".utf8)
    server.serve("/gbk/news.shtml", .init(headers: ["Content-Type: text/html"], body: body))
    let article = server.url("/gbk/news.shtml")
    let store = try open()
    let outcomes = try await ingest([article], store: store, config: config(), policy: RequisitePolicy())
    #expect(outcomes[article]?.status == .ok)
    let rows = try store.catalog.requisites(forSnapshot: try snapshotID(article, store))
    #expect(rows.map(\.url) == [server.url("/img/gbk-1/4000"), server.url("/img/gbk-2/6000")])
    #expect(rows.allSatisfy { $0.status == .archived })
    try expectArchiveSound(store)
  }

  @Test func turnedOffNothingIsFetched() async throws {
    let server = try FixtureServer(addresses: ["127.0.0.1", "127.0.0.2"])
    defer { server.stop() }
    let article = server.url("/s/off")
    server.serve("/s/off", .init(body: Self.weChatPage(images: [server.url("/img/off/100", host: 1)])))
    let store = try open()
    try await ingest([article], store: store, config: config(), policy: RequisitePolicy(enabled: false))
    #expect(try store.catalog.requisites(forSnapshot: try snapshotID(article, store)).isEmpty)
    #expect(server.requestLog.filter { $0.address == "127.0.0.2" }.isEmpty)
  }
}
