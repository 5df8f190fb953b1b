import Foundation
import SourcekeepTestSupport
import Synchronization
import Testing

@testable import SourcekeepCore

/// `ingest now` against a real loopback server serving the project's fixture pages plus
/// misbehaving routes: every status, every snapshot pointer, the journal, warcio.
@Suite(.serialized) struct CaptureEndToEndTests {
  let dir = TempDirectory()
  var layout: StoreLayout { StoreLayout(root: dir.path + "/data") }

  func config() -> Config {
    var c = Config()
    c.storage.dir = layout.root
    c.fetch.allowPrivateNetworks = true
    c.fetch.perHostConcurrency = 4
    c.fetch.perHostIntervalMs = 0
    c.fetch.maxBodyMB = 1
    c.fetch.timeoutS = 2
    c.fetch.connectTimeoutS = 2
    c.fetch.retries = 1
    // The fixture pages cite images on real hosts: tests stay on loopback.
    c.capture.requisites = false
    return c
  }

  func fetcher(_ c: Config) throws -> Fetcher {
    var tuning = FetchTuning()
    tuning.backoffBase = .milliseconds(10)
    tuning.backoffMax = .milliseconds(50)
    return try Fetcher(config: c.fetch, tuning: tuning)
  }

  struct Run {
    var summary: IngestSummary
    var outcomes: [String: LinkOutcome]
  }

  final class Outcomes: Sendable {
    private let outcomes = Mutex<[String: LinkOutcome]>([:])
    var byURL: [String: LinkOutcome] { outcomes.withLock { $0 } }
    func add(_ o: LinkOutcome) { outcomes.withLock { $0[o.url] = o } }
  }

  func ingest(_ c: Config, catalog: Catalog, journal: Journal, digest: String) async throws -> Run {
    let f = try fetcher(c)
    let runner = LinkRunner(
      mode: .capture, config: c, fetcher: f, catalog: catalog, journal: journal, layout: layout,
      configDigest: "sha1:TEST")
    let outcomes = Outcomes()
    let summary = try await IngestRun(catalog: catalog, journal: journal).run(
      paths: [], files: [digest], capture: CaptureStage(runner: runner, progress: { o, _ in outcomes.add(o) }))
    await f.shutdown()
    return Run(summary: summary, outcomes: outcomes.byURL)
  }

  @Test func everyCitedPageIsCapturedOrClassifiedAndEveryPointerIsExact() async throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let site = try FixtureSite()
    site.serve(on: server)
    let base = String(server.url("/").dropLast())
    let extra = """

      ## 边界情况
      > **来源：** [404](\(base)/status/404) 、 [410](\(base)/status/410) 、 [500](\(base)/status/500) 、 [gzip](\(base)/gzip) 、 [chunked](\(base)/chunked) 、 [big](\(base)/big/3000000) 、 [slow](\(base)/delay/5000) 、 [dns](\(UnresolvableHost.url("/x")))
      """
    let digestPath = dir.write("2026-03-09.md", try FixtureSite.digest(base: base) + extra)
    let c = config()
    try FileManager.default.createDirectory(atPath: layout.root, withIntermediateDirectories: true)
    let catalog = try Catalog(path: layout.catalog)
    let journal = Journal(directory: layout.journalDirectory)
    let run = try await ingest(c, catalog: catalog, journal: journal, digest: digestPath)
    #expect(run.summary.capture?.total == 24)
    #expect(run.outcomes.count == 24)

    // The fixture pages: the expected classification of each.
    for page in site.pages {
      let cited = (page.citedURL ?? page.url).split(separator: "#").first.map(String.init)!
      let url = base + cited
      let outcome = try #require(run.outcomes[url], "no outcome for \(url)")
      #expect(outcome.status.rawValue == page.classification, "\(page.file): \(outcome.status) \(outcome.detail ?? "")")
      #expect(outcome.reason?.rawValue == page.reason, "\(page.file): reason \(outcome.reason?.rawValue ?? "nil")")
      if page.classification == "ok" {
        let location = try #require(outcome.archived, "\(page.file) not archived")
        let (record, _) = try WARCFile.record(at: location.offset, in: layout.root + "/" + location.file)
        #expect(record.type == .response)
        #expect(record.targetURI == base + page.url)
        #expect(record.header("WARC-Payload-Digest") == SHA1.warcDigest(page.body))
        #expect(record.header("WARC-IP-Address") == "127.0.0.1")
        if let title = page.title { #expect(outcome.title == title, "\(page.file)") }
      } else {
        #expect(outcome.archived == nil, "\(page.file) should not be archived as the article")
      }
    }
    // The misbehaving routes.
    func status(_ path: String) -> LinkOutcome? { run.outcomes[path.hasPrefix("http") ? path : base + path] }
    #expect(status("/status/404")?.status == .gone)
    #expect(status("/status/410")?.status == .gone)
    #expect(status("/status/500")?.status == .serverError)
    #expect(status("/status/500")?.attempts == 2)
    #expect(status("/gzip")?.status == .ok)
    #expect(status("/chunked")?.status == .ok)
    #expect(status("/big/3000000")?.status == .ok)
    #expect(status("/big/3000000")?.truncated == true)
    #expect(status("/delay/5000")?.status == .unreachable)
    #expect(status("/delay/5000")?.reason == .timeout)
    #expect(status(UnresolvableHost.url("/x"))?.status == .unreachable)
    #expect(status(UnresolvableHost.url("/x"))?.reason == .dns)

    // gzip: archived as sent (compressed), digest of the compressed bytes.
    let gz = try #require(status("/gzip")?.archived)
    let (gzRecord, _) = try WARCFile.record(at: gz.offset, in: layout.root + "/" + gz.file)
    #expect(String(decoding: gzRecord.block, as: UTF8.self).contains("Content-Encoding: gzip"))
    // chunked: stored de-chunked with the original header kept.
    let ch = try #require(status("/chunked")?.archived)
    let (chRecord, _) = try WARCFile.record(at: ch.offset, in: layout.root + "/" + ch.file)
    let chText = String(decoding: chRecord.block, as: UTF8.self)
    #expect(chText.contains("X-Archive-Orig-Transfer-Encoding: chunked"))
    #expect(chText.hasSuffix("<body>three chunks</body></html>"))
    // truncated: marked in the WARC record.
    let big = try #require(status("/big/3000000")?.archived)
    let (bigRecord, _) = try WARCFile.record(at: big.offset, in: layout.root + "/" + big.file)
    #expect(bigRecord.header("WARC-Truncated") == "length")

    // The report points at the snapshots; verify and warcio agree the archive is sound.
    let model = try catalog.reportModel(filter: ReportFilter())
    let withSnapshot = model.links.filter { $0.snapshot != nil }
    #expect(withSnapshot.count == site.pages.filter { $0.classification == "ok" }.count + 3)  // + gzip, chunked, big
    let verify = ArchiveVerifier(layout: layout).verify(try catalog.allSnapshots())
    #expect(verify.problems.isEmpty, "\(verify.problems)")
    for file in WARCWriter.files(in: layout.warcDirectory) {
      let check = try ExternalTool.run("warcio", ["check", layout.warcDirectory + "/" + file])
      #expect(check.status == 0, "warcio check \(file): \(check.output)")
    }

    // The journal tells the story.
    let events = JournalReader(directory: layout.journalDirectory).lines().compactMap(\.event)
    #expect(events.first == "run.start")
    #expect(events.last == "run.finish")
    #expect(events.filter { $0 == "capture" }.count == 24)
    #expect(events.filter { $0 == "state.change" }.count == 24)
    #expect(events.contains("digest.read"))

    // A second ingest finds nothing due: captured links have snapshots, failures retry later.
    let again = try await ingest(c, catalog: catalog, journal: journal, digest: digestPath)
    #expect(again.summary.capture?.total == 0)
    #expect(again.summary.digestsUnchanged == 1)

    // Re-fetching identical content writes a revisit record pointing at the first capture.
    let okURL = base + (try site.page("wechat-yunque7-chenxing.html").url)
    let f = try fetcher(c)
    let checker = LinkRunner(
      mode: .check, config: c, fetcher: f, catalog: catalog, journal: journal, layout: layout, configDigest: "sha1:TEST"
    )
    let links = try catalog.linksToCheck(urls: [okURL])
    let recheck = Outcomes()
    _ = await checker.run(links) { o, _ in recheck.add(o) }
    await f.shutdown()
    let revisit = try #require(recheck.byURL[okURL])
    #expect(revisit.recordType == "revisit")
    #expect(revisit.status == .ok)
    let location = try #require(revisit.archived)
    let (record, _) = try WARCFile.record(at: location.offset, in: layout.root + "/" + location.file)
    #expect(record.type == .revisit)
    #expect(record.header("WARC-Profile") == WARCRecordBuilder.revisitProfile)
    let first = try #require(run.outcomes[okURL]?.archived)
    let (firstRecord, _) = try WARCFile.record(at: first.offset, in: layout.root + "/" + first.file)
    #expect(record.header("WARC-Refers-To") == firstRecord.recordID)
    let reportAfter = try catalog.reportModel(filter: ReportFilter()).links.first { $0.url == okURL }
    #expect(reportAfter?.snapshot?.warcOffset == location.offset)  // newest capture
    for file in WARCWriter.files(in: layout.warcDirectory) {
      #expect(try ExternalTool.run("warcio", ["check", layout.warcDirectory + "/" + file]).status == 0)
    }
    #expect(ArchiveVerifier(layout: layout).verify(try catalog.allSnapshots()).problems.isEmpty)
  }
}
