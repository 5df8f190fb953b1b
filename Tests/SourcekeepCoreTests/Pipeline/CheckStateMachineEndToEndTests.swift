import Foundation
import SourcekeepTestSupport
import Synchronization
import Testing

@testable import SourcekeepCore

/// `check` against a loopback server whose content changes between checks (a phase
/// switch): every state transition, re-capture versus revisit versus 304, drift, redirects.
@Suite(.serialized) struct CheckStateMachineEndToEndTests {
  let dir = TempDirectory()
  var layout: StoreLayout { StoreLayout(root: dir.path + "/data") }

  func fixture(_ name: String) throws -> [UInt8] { try TestFixtures.page(name) }

  final class Outcomes: Sendable {
    private let outcomes = Mutex<[String: LinkOutcome]>([:])
    var byURL: [String: LinkOutcome] { outcomes.withLock { $0 } }
    func add(_ o: LinkOutcome) { outcomes.withLock { $0[o.url] = o } }
  }

  @Test func linksMoveThroughEveryStateAsTheirContentChanges() async throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let html = "Content-Type: text/html; charset=utf-8"
    let articleA = try fixture("wechat-yunque7-chenxing.html")
    let articleB = try fixture("wechat-qinghe-chaoxi.html")
    let deleted = try fixture("wechat-deleted.html")
    server.serve("/s/phase", .init(headers: [html], body: articleA))
    server.serve("/deep/2026/story.html", .init(status: 302, headers: ["Location: /"], body: []))
    server.serve(
      "/", .init(headers: [html], body: Array("<html><body><h1>Home</h1><p>Latest news list.</p></body></html>".utf8)))
    server.serve("/old", .init(status: 301, headers: ["Location: /new/place"], body: []))
    server.serve("/new/place", .init(headers: [html], body: articleB))
    let base = String(server.url("/").dropLast())
    let digest = dir.write(
      "2026-02-17.md",
      """
      # 状态机 2026年02月17日
      ## 条目
      > **来源：** [A](\(base)/s/phase) 、 [etag](\(base)/etag) 、 [deep](\(base)/deep/2026/story.html) 、 [old](\(base)/old)
      """)
    var c = Config()
    c.storage.dir = layout.root
    c.fetch.allowPrivateNetworks = true
    c.fetch.perHostIntervalMs = 0
    c.fetch.retries = 0
    c.health.deadAfterFailures = 2
    c.health.deadAfter = ConfigDuration(seconds: 0)
    try FileManager.default.createDirectory(atPath: layout.root, withIntermediateDirectories: true)
    let catalog = try Catalog(path: layout.catalog)
    let journal = Journal(directory: layout.journalDirectory)
    let fetcher = try Fetcher(config: c.fetch)
    defer { Task { await fetcher.shutdown() } }
    func runner(_ mode: LinkRunner.Mode) -> LinkRunner {
      LinkRunner(
        mode: mode, config: c, fetcher: fetcher, catalog: catalog, journal: journal, layout: layout, configDigest: "t")
    }
    _ = try await IngestRun(catalog: catalog, journal: journal).run(
      paths: [], files: [digest], capture: CaptureStage(runner: runner(.capture)))
    func check(_ path: String) async throws -> LinkOutcome {
      let url = base + path
      let links = try catalog.linksToCheck(urls: [url])
      let seen = Outcomes()
      _ = await runner(.check).run(links) { o, _ in seen.add(o) }
      return try #require(seen.byURL[url])
    }
    func state(_ path: String) throws -> ReportModel.LinkRow {
      try #require(try catalog.reportModel(filter: ReportFilter()).links.first { $0.url == base + path })
    }

    // Captured: alive, one snapshot.
    #expect(try state("/s/phase").state == .alive)
    let firstSnapshot = try #require(try state("/s/phase").snapshot)

    // Same bytes: ok, a revisit record.
    var o = try await check("/s/phase")
    #expect((o.status, o.recordType, o.stateAfter) == (.ok, "revisit", .alive))

    // Re-rendered (counters changed): ok by similarity, a new response snapshot.
    let rerendered = Array(
      String(decoding: articleA, as: UTF8.self).replacingOccurrences(of: "2026", with: "2027").utf8)
    server.serve("/s/phase", .init(headers: [html], body: rerendered))
    o = try await check("/s/phase")
    #expect((o.status, o.recordType, o.stateAfter) == (.ok, "response", .alive))

    // Another article at the same URL: drifted; the report keeps pointing at the first capture.
    server.serve("/s/phase", .init(headers: [html], body: articleB))
    o = try await check("/s/phase")
    #expect((o.status, o.stateAfter) == (.drifted, .drifted))
    #expect(o.recordType == "response")
    #expect(try state("/s/phase").snapshot?.warcOffset == firstSnapshot.warcOffset)

    // Deleted: soft-404, failing, then dead after the second failure.
    server.serve("/s/phase", .init(headers: [html], body: deleted))
    o = try await check("/s/phase")
    #expect((o.status, o.reason, o.stateAfter) == (.soft404, CheckReason.deleted, .failing))
    #expect(o.recordType == nil)
    o = try await check("/s/phase")
    #expect(o.stateAfter == .dead)
    #expect(try state("/s/phase").deadSince != nil)

    // A 403 is inconclusive: the link stays dead.
    server.serve("/s/phase", .init(status: 403, headers: [html], body: Array("<html>no</html>".utf8)))
    o = try await check("/s/phase")
    #expect((o.status, o.stateBefore, o.stateAfter) == (.forbidden, .dead, .dead))

    // Back: alive again.
    server.serve("/s/phase", .init(headers: [html], body: articleA))
    o = try await check("/s/phase")
    #expect((o.status, o.stateAfter) == (.ok, .alive))

    // Validators: a 304 is ok and writes nothing.
    o = try await check("/etag")
    #expect(o.httpStatus == 304)
    #expect((o.status, o.recordType, o.stateAfter) == (.ok, nil, .alive))
    #expect(server.requestLog.last { $0.target == "/etag" }?.header("If-None-Match") == "\"v1\"")

    // A deep link landing on the home page is a soft-404; a real move is `redirected`.
    #expect(try state("/deep/2026/story.html").status == .soft404)
    #expect(try state("/deep/2026/story.html").reason == "redirect-to-home")
    #expect(try state("/old").status == .redirected)
    #expect(try state("/old").state == .alive)

    // Every check is a journal event, every transition a state.change.
    let events = JournalReader(directory: layout.journalDirectory).lines()
    let checks = events.filter { $0.event == "check" }
    #expect(checks.count == 8)
    let changes = events.filter { $0.event == "state.change" && $0.value?["url"]?.stringValue == base + "/s/phase" }
      .compactMap { $0.value?["to"]?.stringValue }
    #expect(changes == ["alive", "drifted", "failing", "dead", "alive"])
    for file in WARCWriter.files(in: layout.warcDirectory) {
      #expect(try ExternalTool.run("warcio", ["check", layout.warcDirectory + "/" + file]).status == 0)
    }
    #expect(ArchiveVerifier(layout: layout).verify(try catalog.allSnapshots()).problems.isEmpty)
  }
}

@Suite struct CheckScheduleTests {
  let schedule = CheckSchedule(interval: 86400)
  let now = Date(timeIntervalSince1970: 1_771_315_200)

  func due(_ state: LinkState, failures: Int = 0, deadFor: TimeInterval = 0, captured: Bool = true, id: Int64 = 7)
    -> TimeInterval
  {
    let memory = LinkStateMachine.Memory(
      state: state, consecutiveFailures: failures, deadSince: state == .dead ? now.addingTimeInterval(-deadFor) : nil)
    return schedule.next(after: now, memory: memory, linkID: id, captured: captured).timeIntervalSince(now)
  }

  @Test func aliveLinksComeBackAfterTheIntervalSpreadByTenPercent() {
    let offsets = (1...200).map { due(.alive, id: Int64($0)) }
    #expect(offsets.allSatisfy { $0 >= 86400 * 0.9 && $0 < 86400 * 1.1 })
    #expect(Set(offsets.map { Int($0 / 3600) }).count > 3, "spread over several hours, not one burst")
    #expect(due(.alive, id: 5) == due(.alive, id: 5), "the same link always gets the same offset")
  }

  @Test func failingLinksAreConfirmedSoonerAndDeadLinksBackOffWithoutStopping() {
    #expect(due(.failing, failures: 1) < 86400 / 4 * 1.1)
    #expect(due(.failing, failures: 1) < due(.failing, failures: 3))
    #expect(due(.dead, deadFor: 0) <= 86400 * 1.1)
    #expect(due(.dead, deadFor: 86400 * 30) > 86400 * 6)
    #expect(due(.dead, deadFor: 86400 * 365) <= 86400 * 7 * 1.1)
  }

  @Test func failedFirstCapturesRetryWithinMinutes() {
    #expect(due(.unknown, captured: false) <= 1800 * 1.1)
    #expect(due(.pending, captured: false) <= 900 * 1.1)
  }
}
