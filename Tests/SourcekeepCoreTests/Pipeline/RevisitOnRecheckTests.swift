import Foundation
import GRDB
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// What a re-check of an unchanged page archives (docs/design.md#revisits-on-re-check): a
/// `revisit` the first time the archived payload comes back, then only the check row (with the
/// payload digest it saw) until the link's last revisit is `health.revisit_every` old.
@Suite(.serialized) struct RevisitOnRecheckTests {
  let dir = TempDirectory()
  var layout: StoreLayout { StoreLayout(root: dir.path + "/data") }

  struct Store {
    var catalog: Catalog
    var journal: Journal
    var config: Config
    var server: FixtureServer
    var url: String
  }

  /// A captured article with two images on a loopback server.
  func captured(revisitEvery: Int64? = nil) async throws -> Store {
    let server = try FixtureServer()
    let url = server.url("/s/unchanged")
    let images = (0..<2).map { server.url("/img/r\($0)/9000") }
    server.serve("/s/unchanged", .init(body: RequisiteCaptureTests.weChatPage(images: images)))
    var c = Config()
    c.storage.dir = layout.root
    c.fetch.allowPrivateNetworks = true
    c.fetch.perHostIntervalMs = 0
    c.fetch.retries = 0
    if let revisitEvery { c.health.revisitEvery = ConfigDuration(seconds: revisitEvery) }
    try FileManager.default.createDirectory(atPath: layout.root, withIntermediateDirectories: true)
    let store = Store(
      catalog: try Catalog(path: layout.catalog), journal: Journal(directory: layout.journalDirectory), config: c,
      server: server, url: url)
    let digest = dir.write("2026-03-10.md", "# 速递\n\n## 一条新闻\n> **来源：** [来源](\(url))\n\n正文。\n")
    let fetcher = try Fetcher(config: c.fetch)
    let runner = LinkRunner(
      mode: .capture, config: c, fetcher: fetcher, catalog: store.catalog, journal: store.journal, layout: layout,
      configDigest: "sha1:TEST")
    _ = try await IngestRun(catalog: store.catalog, journal: store.journal).run(
      paths: [], files: [digest], capture: CaptureStage(runner: runner))
    await fetcher.shutdown()
    return store
  }

  /// Re-checks the article once.
  func check(_ store: Store) async throws -> (LinkOutcome, RunCounts) {
    let fetcher = try Fetcher(config: store.config.fetch)
    let runner = LinkRunner(
      mode: .check, config: store.config, fetcher: fetcher, catalog: store.catalog, journal: store.journal,
      layout: layout, configDigest: "sha1:TEST")
    let seen = CaptureEndToEndTests.Outcomes()
    let counts = await runner.run(try store.catalog.linksToCheck(urls: [store.url])) { o, _ in seen.add(o) }
    await fetcher.shutdown()
    return (try #require(seen.byURL[store.url]), counts)
  }

  /// Rows in every table of the catalog.
  func rowCounts(_ catalog: Catalog) throws -> [String: Int] {
    try catalog.read { db in
      let tables = try String.fetchAll(
        db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      var counts: [String: Int] = [:]
      for table in tables {
        counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \"\(table)\"") ?? 0
      }
      return counts
    }
  }

  func archiveBytes() -> Int64 {
    WARCWriter.files(in: layout.warcDirectory).reduce(0) { sum, file in
      let size = (try? FileManager.default.attributesOfItem(atPath: layout.warcDirectory + "/" + file)[.size]) as? Int
      return sum + Int64(size ?? 0)
    }
  }

  func newestCheckDigest(_ catalog: Catalog) throws -> String? {
    try catalog.read { db in
      try String.fetchOne(db, sql: "SELECT payload_digest FROM \"check\" ORDER BY id DESC LIMIT 1")
    }
  }

  /// The journal's `check` events, oldest first.
  func checkEvents() throws -> [[String: Any]] {
    let files = try FileManager.default.contentsOfDirectory(atPath: layout.journalDirectory).sorted()
    return try files.flatMap { file in
      try String(contentsOfFile: layout.journalDirectory + "/" + file, encoding: .utf8).split(separator: "\n")
        .compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        .filter { $0["event"] as? String == "check" }
    }
  }

  @Test func anUnchangedPageGetsOneRevisitThenOnlyItsCheckRowUntilRevisitEveryHasPassed() async throws {
    let store = try await captured()
    defer { store.server.stop() }
    let response = try #require(try store.catalog.allSnapshots().first)
    #expect(response.recordType == "response")

    // First re-check with the same bytes: a revisit, as before.
    let (first, _) = try await check(store)
    #expect((first.status, first.recordType) == (.ok, "revisit"))
    #expect(try newestCheckDigest(store.catalog) == response.payloadDigest)
    let imageRequests = store.server.requestLog.filter { $0.target.hasPrefix("/img/") }.count

    // Second: nothing archived, nothing fetched for the images, one row more in the catalog.
    let rowsBefore = try rowCounts(store.catalog)
    let bytesBefore = archiveBytes()
    let (second, counts) = try await check(store)
    #expect((second.status, second.stateAfter) == (.ok, .alive))
    #expect(second.recordType == nil && second.archived == nil && second.bytesWritten == 0)
    #expect(second.samePayload)
    #expect((counts.samePayload, counts.revisits, counts.unchanged) == (1, 0, 0))
    #expect(archiveBytes() == bytesBefore)
    var grown = try rowCounts(store.catalog)
    for (table, n) in rowsBefore { grown[table, default: 0] -= n }
    #expect(grown.filter { $0.value != 0 } == ["check": 1], "rows added by the second re-check: \(grown)")
    #expect(try newestCheckDigest(store.catalog) == response.payloadDigest)
    #expect(store.server.requestLog.filter { $0.target.hasPrefix("/img/") }.count == imageRequests)
    let event = try #require(try checkEvents().last)
    #expect(event["payload_digest"] as? String == response.payloadDigest)
    #expect(event["record"] == nil && event["warc_file"] == nil)

    // The link's captures are older than revisit_every (30 days by default): a revisit again.
    try store.catalog.write { db in
      try db.execute(
        sql: "UPDATE snapshot SET captured_at = ?",
        arguments: [Timestamp.string(Date().addingTimeInterval(-31 * 86400))])
    }
    let (third, _) = try await check(store)
    #expect(third.recordType == "revisit")

    // A changed page is a new response whenever it comes.
    store.server.serve(
      "/s/unchanged", .init(body: RequisiteCaptureTests.weChatPage(images: [], extra: "<p>一段新增的更正说明。</p>")))
    let (fourth, _) = try await check(store)
    #expect(fourth.recordType == "response")
    #expect(try newestCheckDigest(store.catalog) != response.payloadDigest)

    let verify = ArchiveVerifier(layout: layout).verify(
      try store.catalog.allSnapshots(), requisites: try store.catalog.allArchivedRequisites())
    #expect(verify.problems.isEmpty, "\(verify.problems)")
  }

  @Test func revisitEveryZeroWritesARevisitAtEveryRecheck() async throws {
    let store = try await captured(revisitEvery: 0)
    defer { store.server.stop() }
    for _ in 0..<3 {
      let (o, counts) = try await check(store)
      #expect(o.recordType == "revisit")
      #expect(counts.samePayload == 0)
    }
    #expect(try store.catalog.allSnapshots().map(\.recordType) == ["response", "revisit", "revisit", "revisit"])
  }

  @Test func aRedirectToAnotherURLIsArchivedEvenWithTheSamePayload() async throws {
    let store = try await captured()
    defer { store.server.stop() }
    _ = try await check(store)
    // The same bytes, now behind a redirect: the revisit rule compares the final URL too.
    let body = RequisiteCaptureTests.weChatPage(images: (0..<2).map { store.server.url("/img/r\($0)/9000") })
    store.server.serve("/s/moved", .init(body: body))
    store.server.serve("/s/unchanged", .init(status: 301, headers: ["Location: /s/moved"], body: []))
    let (o, counts) = try await check(store)
    #expect(o.recordType != nil)
    #expect(counts.samePayload == 0)
  }
}
