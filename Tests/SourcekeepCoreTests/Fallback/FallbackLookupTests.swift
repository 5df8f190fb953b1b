import Foundation
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// Public archives as a fallback (docs/design.md#fallback), against fake availability and
/// TimeGate endpoints on the loopback fixture server: found, none, an error, a 429, a slow
/// answer; links with a good local capture are never asked about; once per interval.
@Suite(.serialized) struct FallbackLookupTests {
  let dir = TempDirectory()
  var layout: StoreLayout { StoreLayout(root: dir.path + "/data") }
  let day: TimeInterval = 86_400

  struct Store {
    var catalog: Catalog
    var journal: Journal
    var server: FixtureServer
    var dead: [String]
    var captured: String
  }

  func config(_ server: FixtureServer, wayback: String?, timegate: String = "") -> Config {
    var c = Config()
    c.storage.dir = layout.root
    c.fetch.allowPrivateNetworks = true
    c.fetch.perHostIntervalMs = 0
    c.fetch.timeoutS = 1
    c.fetch.retries = 0
    c.fallback.wayback = wayback != nil
    c.fallback.waybackEndpoint = wayback.map { server.url($0) } ?? ""
    c.fallback.mementoTimegate = timegate.isEmpty ? "" : server.url(timegate)
    return c
  }

  /// Two links that fail at their first capture (state failing, no snapshot), and one that
  /// was captured and then fails.
  func makeStore() async throws -> Store {
    let server = try FixtureServer()
    server.serve("/article/kept", .init(body: Array(FixtureServer.okPage.utf8)))
    let dead = [server.url("/status/404?n=1"), server.url("/status/410?n=2")]
    let kept = server.url("/article/kept")
    let digest = dir.write(
      "2026-03-09.md", "# 2026年03月09日\n\n## 条目\n> **来源：** [a](\(dead[0])) 、 [b](\(dead[1])) 、 [c](\(kept))\n")
    try FileManager.default.createDirectory(atPath: layout.root, withIntermediateDirectories: true)
    let catalog = try Catalog(path: layout.catalog)
    let journal = Journal(directory: layout.journalDirectory)
    let c = config(server, wayback: nil)
    for mode in [LinkRunner.Mode.capture, .check] {
      if mode == .check { server.serve("/article/kept", .init(status: 404, body: Array("gone".utf8))) }
      let fetcher = try Fetcher(config: c.fetch)
      let runner = LinkRunner(
        mode: mode, config: c, fetcher: fetcher, catalog: catalog, journal: journal, layout: layout,
        configDigest: "sha1:TEST")
      if mode == .capture {
        _ = try await IngestRun(catalog: catalog, journal: journal).run(
          paths: [], files: [digest], capture: CaptureStage(runner: runner, progress: { _, _ in }))
      } else {
        _ = await runner.run(try catalog.linksToCheck(all: true)) { _, _ in }
      }
      await fetcher.shutdown()
    }
    let states = try catalog.reportModel(filter: ReportFilter()).links.map(\.state)
    #expect(states == [.failing, .failing, .failing])
    return Store(catalog: catalog, journal: journal, server: server, dead: dead, captured: kept)
  }

  func lookup(_ store: Store, _ c: Config, at now: Date) async throws -> (asked: Int, found: Int) {
    let fetcher = try Fetcher(config: c.fetch)
    let result = await FallbackLookup(catalog: store.catalog, journal: store.journal, fetcher: fetcher, config: c).run(
      now: now)
    await fetcher.shutdown()
    return result
  }

  func linkID(_ store: Store, _ url: String) throws -> Int64 {
    try #require(try store.catalog.linkID(url: url))
  }

  func asked(_ store: Store, _ prefix: String) -> [FixtureServer.LoggedRequest] {
    store.server.requestLog.filter { $0.target.hasPrefix(prefix) }
  }

  @Test func waybackFoundNoneErrorRateLimitedSlowAndOncePerInterval() async throws {
    let store = try await makeStore()
    defer { store.server.stop() }
    let found = """
      {"url": "x", "archived_snapshots": {"closest": {"status": "200", "available": true,
       "url": "http://web.archive.org/web/20260301000000/http://example.com/", "timestamp": "20260301000000"}}}
      """
    store.server.serve("/avail/found*", .init(headers: ["Content-Type: application/json"], body: Array(found.utf8)))
    store.server.serve(
      "/avail/none*",
      .init(headers: ["Content-Type: application/json"], body: Array("{\"archived_snapshots\": {}}".utf8)))
    let t0 = Date()

    // Found: both never-captured links get the copy; the captured one is never asked about.
    #expect(try await lookup(store, config(store.server, wayback: "/avail/found"), at: t0) == (2, 2))
    let requests = asked(store, "/avail/found")
    #expect(requests.count == 2)
    #expect(requests.allSatisfy { $0.target.contains("timestamp=20260309") })
    #expect(
      requests.contains { $0.target.contains("url=http://127.0.0.1:\(store.server.ports[0])/status/404%3Fn%3D1&") })
    #expect(!requests.contains { $0.target.contains("article/kept") })
    let copy = try store.catalog.publicCopy(forLink: try linkID(store, store.dead[0]))
    #expect(
      copy
        == PublicCopy(
          source: "wayback", url: "https://web.archive.org/web/20260301000000/http://example.com/",
          timestamp: "2026-03-01T00:00:00Z"))
    #expect(try store.catalog.publicCopy(forLink: try linkID(store, store.captured)) == nil)
    // Reports show it: JSON `fallback`, and the Markdown repair links it (no local copy).
    let model = try store.catalog.reportModel(filter: ReportFilter())
    let json = try #require(JSONValue.parse(JSONReport.render(model)))
    let rows: [JSONValue]
    if case .array(let items)? = json["links"] { rows = items } else { rows = [] }
    let dead = rows.first { $0["url"]?.stringValue == store.dead[0] }
    #expect(dead?["fallback"]?["source"] == "wayback", "\(dead?.compact ?? "no row")")
    #expect(dead?["fallback"]?["url"] == .string(copy?.url ?? ""))
    #expect(rows.first { $0["url"]?.stringValue == store.captured }?["fallback"] == .null)
    #expect(MarkdownReport.render(model).contains("[wayback copy](https://web.archive.org/web/20260301000000/"))

    // Once per interval: asked again only after recheck_interval (24h by default).
    #expect(
      try await lookup(store, config(store.server, wayback: "/avail/found"), at: t0.addingTimeInterval(3600)) == (0, 0))
    #expect(asked(store, "/avail/found").count == 2)

    // An error (500), a 429 and a slow answer keep the copy found before; the answer is kept.
    for (i, endpoint) in ["/status/500", "/status/429", "/delay/3000"].enumerated() {
      let at = t0.addingTimeInterval(Double(i + 1) * 2 * day)
      #expect(try await lookup(store, config(store.server, wayback: endpoint), at: at).asked == 2)
      let answer = try #require(
        try store.catalog.fallbackAnswer(linkID: try linkID(store, store.dead[0]), source: "wayback"))
      #expect(answer.outcome == "error", "\(endpoint)")
      #expect(answer.detail?.isEmpty == false, "\(endpoint)")
      #expect(try store.catalog.publicCopy(forLink: try linkID(store, store.dead[0]))?.url == copy?.url)
    }
    // None: the archive has nothing (any more).
    #expect(
      try await lookup(store, config(store.server, wayback: "/avail/none"), at: t0.addingTimeInterval(10 * day)) == (
        2, 0
      ))
    #expect(try store.catalog.publicCopy(forLink: try linkID(store, store.dead[0])) == nil)
    let events = JournalReader(directory: layout.journalDirectory).lines().filter { $0.event == "fallback" }
    #expect(events.count == 2 * 5)
  }

  @Test func aMementoTimeGateRedirectsToTheMementoNearestTheCitation() async throws {
    let store = try await makeStore()
    defer { store.server.stop() }
    let memento = store.server.url("/memento/20260305000000/page")
    store.server.serve(
      "/timegate/*", .init(status: 302, headers: ["Location: \(memento)", "Vary: accept-datetime"], body: []))
    store.server.serve(
      "/memento/*",
      .init(
        headers: ["Content-Type: text/html", "Memento-Datetime: Thu, 05 Mar 2026 00:00:00 GMT"],
        body: Array("<p>old</p>".utf8)))
    let result = try await lookup(store, config(store.server, wayback: nil, timegate: "/timegate/"), at: Date())
    #expect(result == (2, 2))
    let gate = asked(store, "/timegate/")
    #expect(gate.count == 2)
    #expect(
      gate.allSatisfy { r in
        r.headers.contains { $0.name.lowercased() == "accept-datetime" && $0.value == "Mon, 09 Mar 2026 12:00:00 GMT" }
      })
    #expect(
      try store.catalog.publicCopy(forLink: try linkID(store, store.dead[1]))
        == PublicCopy(source: "memento", url: memento, timestamp: "2026-03-05T00:00:00Z"))
  }

  @Test func savePageNowSubmitsWithTheKeysAndNeverWritesThemAnywhere() async throws {
    let store = try await makeStore()
    defer { store.server.stop() }
    store.server.serve(
      "/save/*",
      .init(headers: ["Content-Type: application/json"], body: Array("{\"url\": \"x\", \"job_id\": \"spn2-1\"}".utf8)))
    // One submission is refused (rate limit), echoing the key as a hostile server might.
    store.server.serve(
      "/save/" + store.dead[0],
      .init(
        status: 429, headers: ["Content-Type: application/json"],
        body: Array("{\"message\": \"slow down ACCKEY123\"}".utf8)))
    var c = config(store.server, wayback: nil)
    c.fallback.savePageNow = true
    c.fallback.spnKeysFile = dir.write("spn.keys", "ACCKEY123:SECRETXYZ\n")
    let fetcher = try Fetcher(config: c.fetch)
    let spn = SavePageNow(
      catalog: store.catalog, journal: store.journal, fetcher: fetcher, config: c,
      environment: [SavePageNow.endpointVariable: store.server.url("/save/")], spacing: .zero)
    let result = await spn.run()
    #expect(result.submitted == 2)
    #expect(result.failed == 1)
    // Each link once: a second run has nothing left to submit.
    #expect(await spn.run() == (0, 0))
    await fetcher.shutdown()
    let requests = asked(store, "/save/")
    #expect(requests.count == 3)
    #expect(
      requests.allSatisfy { r in
        r.headers.contains { $0.name == "Authorization" && $0.value == "LOW ACCKEY123:SECRETXYZ" }
      })
    let ok = try #require(try store.catalog.submission(linkID: try linkID(store, store.captured)))
    #expect(ok.outcome == "submitted")
    #expect(ok.jobID == "spn2-1")
    let refused = try #require(try store.catalog.submission(linkID: try linkID(store, store.dead[0])))
    #expect(refused.outcome == "error")
    #expect(refused.detail?.contains("429") == true)
    // The local capture is untouched; the keys are in no file of the store.
    #expect(try store.catalog.allSnapshots().count == 1)
    for file in try FileManager.default.subpathsOfDirectory(atPath: layout.root) {
      let path = layout.root + "/" + file
      guard let data = FileManager.default.contents(atPath: path) else { continue }
      let bytes = [UInt8](data)
      #expect(bytes.firstRange(of: Array("SECRETXYZ".utf8)) == nil, "secret in \(file)")
      #expect(bytes.firstRange(of: Array("ACCKEY123".utf8)) == nil, "access key in \(file)")
    }
    let events = JournalReader(directory: layout.journalDirectory).lines().filter { $0.event == "spn" }
    #expect(events.count == 3)
  }
}
