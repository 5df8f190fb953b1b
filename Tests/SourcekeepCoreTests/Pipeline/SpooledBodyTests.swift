import Foundation
import SKSystem
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// Large bodies go through `<storage.dir>/tmp` instead of memory (issue #13, Medium 4;
/// docs/design.md#spooled-bodies): the archived record is byte-exact, the spool folder is
/// empty afterwards, a failed transfer leaves nothing, leftovers are removed at start.
@Suite(.serialized) struct SpooledBodyTests {
  let dir = TempDirectory()
  var layout: StoreLayout { StoreLayout(root: dir.path + "/data") }

  func config(maxBodyMB: Int = 8) -> Config {
    var c = Config()
    c.storage.dir = layout.root
    c.fetch.allowPrivateNetworks = true
    c.fetch.perHostIntervalMs = 0
    c.fetch.maxBodyMB = maxBodyMB
    c.fetch.timeoutS = 20
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

  /// Captures `urls` with bodies over `threshold` bytes spooled.
  func ingest(
    _ urls: [String], store: Store, config c: Config, threshold: Int, policy: RequisitePolicy = RequisitePolicy()
  ) async throws -> [String: LinkOutcome] {
    let links = urls.enumerated().map { "[来源\($0.offset)](\($0.element))" }.joined(separator: " 、 ")
    let digest = dir.write("2026-03-09.md", "# 速递\n\n## 大页面\n> **来源：** \(links)\n\n正文。\n")
    var tuning = FetchTuning()
    tuning.spoolDirectory = layout.tmpDirectory
    tuning.spoolThreshold = threshold
    let fetcher = try Fetcher(config: c.fetch, tuning: tuning)
    let runner = LinkRunner(
      mode: .capture, config: c, fetcher: fetcher, catalog: store.catalog, journal: store.journal, layout: layout,
      configDigest: "sha1:TEST", requisites: policy)
    let outcomes = CaptureEndToEndTests.Outcomes()
    _ = try await IngestRun(catalog: store.catalog, journal: store.journal).run(
      paths: [], files: [digest], capture: CaptureStage(runner: runner, progress: { o, _ in outcomes.add(o) }))
    await fetcher.shutdown()
    return outcomes.byURL
  }

  /// What is left in the spool folder.
  func spoolLeft() -> [String] {
    (try? FileManager.default.contentsOfDirectory(atPath: layout.tmpDirectory)) ?? []
  }

  func hugeBody(_ n: Int) -> [UInt8] {
    var body: [UInt8] = []
    body.reserveCapacity(n)
    FixtureServer.hugePage(bytes: n) { chunk in
      body += chunk
      return true
    }
    return body
  }

  /// The body of a response record (after the HTTP head).
  func payload(_ record: WARCRecord) throws -> [UInt8] {
    let end = try #require(record.block.firstRange(of: Array("\r\n\r\n".utf8)))
    return Array(record.block[end.upperBound...])
  }

  func warcioCheck() throws {
    for file in WARCWriter.files(in: layout.warcDirectory) {
      let check = try ExternalTool.run("warcio", ["check", "-v", layout.warcDirectory + "/" + file])
      #expect(check.status == 0, "warcio check \(file): \(check.output)")
    }
  }

  /// 3 MB is compressed whole (libdeflate), 5 MB a chunk at a time (zlib): `WARCWriter.wholeLimit`.
  @Test(arguments: [3_000_000, 5_000_000]) func aLargePageIsSpooledAndArchivedByteExact(size: Int) async throws {
    #expect((size <= WARCWriter.wholeLimit) == (size == 3_000_000), "the sizes take both paths")
    let server = try FixtureServer()
    defer { server.stop() }
    let store = try open()
    let url = server.url("/huge/\(size)")
    let outcomes = try await ingest([url], store: store, config: config(), threshold: 256 << 10)
    let outcome = try #require(outcomes[url])
    #expect(outcome.status == .ok)
    #expect(outcome.truncated == false)
    let location = try #require(outcome.archived)
    let record = try WARCFile.record(at: location.offset, in: layout.root + "/" + location.file).0
    let expected = hugeBody(size)
    let body = try payload(record)
    #expect(body.count == size)
    #expect(body == expected, "the archived body is the body sent")
    #expect(record.header("WARC-Payload-Digest") == SHA1.warcDigest(expected))
    #expect(record.header("WARC-Block-Digest") == SHA1.warcDigest(record.block))
    #expect(record.header("WARC-Truncated") == nil)
    #expect(record.header("Content-Length") == String(record.block.count))
    // Read from the spooled prefix: the page was classified and extracted.
    #expect(outcome.title == "Huge article")
    #expect(spoolLeft().isEmpty, "spool folder holds \(spoolLeft())")
    try warcioCheck()
  }

  @Test func theBodyCapStillCutsASpooledBody() async throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let store = try open()
    let url = server.url("/huge/3000000")
    let outcomes = try await ingest([url], store: store, config: config(maxBodyMB: 2), threshold: 256 << 10)
    let outcome = try #require(outcomes[url])
    #expect(outcome.truncated)
    let location = try #require(outcome.archived)
    let record = try WARCFile.record(at: location.offset, in: layout.root + "/" + location.file).0
    #expect(record.header("WARC-Truncated") == "length")
    let body = try payload(record)
    #expect(body == Array(hugeBody(3_000_000).prefix(2 << 20)))
    #expect(record.header("WARC-Payload-Digest") == SHA1.warcDigest(body))
    #expect(spoolLeft().isEmpty)
    try warcioCheck()
  }

  @Test func spooledImagesArchiveExactlyToo() async throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let store = try open()
    let url = server.url("/article/0/3/sp")
    // Images of 20,000 bytes over an 8 KiB threshold: every requisite is spooled.
    let outcomes = try await ingest([url], store: store, config: config(), threshold: 8 << 10)
    #expect(outcomes[url]?.status == .ok)
    let snapshot = try #require(try store.catalog.allSnapshots().last { $0.url == url })
    let requisites = try store.catalog.requisites(forSnapshot: snapshot.id)
    #expect(requisites.count == 3)
    for (n, r) in requisites.enumerated() {
      #expect(r.status == .archived)
      let location = try #require(r.location)
      let record = try WARCFile.record(at: location.offset, in: layout.root + "/" + location.file).0
      let expected = FixtureServer.image(seed: "sp-\(n)", bytes: 20000)
      #expect(try payload(record) == expected)
      #expect(r.payloadDigest == SHA1.warcDigest(expected))
    }
    #expect(spoolLeft().isEmpty)
    try warcioCheck()
  }

  @Test func aTransferResetMidBodyLeavesNoSpoolFileAndIsRecorded() async throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let store = try open()
    let url = server.url("/resetafter/600000")
    let outcomes = try await ingest([url], store: store, config: config(), threshold: 64 << 10)
    let outcome = try #require(outcomes[url])
    #expect(outcome.status == .unreachable)
    #expect(outcome.reason == .reset)
    #expect(outcome.archived == nil)
    #expect(spoolLeft().isEmpty, "spool folder holds \(spoolLeft())")
  }

  @Test func aRedirectBodyIsCutFromItsSpoolFile() async throws {
    let server = try FixtureServer()
    defer { server.stop() }
    var tuning = FetchTuning()
    tuning.spoolDirectory = layout.tmpDirectory
    tuning.spoolThreshold = 64 << 10
    let fetcher = try Fetcher(config: config().fetch, tuning: tuning)
    let result = await fetcher.fetch(FetchRequest(url: server.url("/fat/1/2000000/r")))
    await fetcher.shutdown()
    let hop = try #require(result.finalAttempt.exchanges.first)
    #expect(hop.spool == nil)
    #expect(hop.body.count == Fetcher.redirectBodyKept)
    #expect(hop.truncated)
    // The final 503's body (2 MB) is spooled until the result goes away.
    #expect(result.exchange?.spool != nil)
    #expect(result.exchange?.bodyLength == 2_000_000)
  }

  @Test func leftoverSpoolFilesAreRemovedAtStartAndJournaled() throws {
    let store = try open()
    try SpoolDirectory.prepare(layout.tmpDirectory)
    let stale = layout.tmpDirectory + "/spool-4242-1-crash"
    try Data(repeating: 7, count: 1000).write(to: URL(fileURLWithPath: stale))
    let other = layout.tmpDirectory + "/keep-me"
    try Data("x".utf8).write(to: URL(fileURLWithPath: other))
    #expect(SpoolCleanup.run(layout: layout, journal: store.journal) == 1)
    #expect(!FileManager.default.fileExists(atPath: stale))
    #expect(FileManager.default.fileExists(atPath: other), "only spool files are removed")
    var events: [String] = []
    JournalReader(directory: layout.journalDirectory).forEachLine { line in events.append(line.event ?? "") }
    #expect(events.filter { $0 == "spool.cleanup" }.count == 1)
    // Nothing left: no event the second time.
    #expect(SpoolCleanup.run(layout: layout, journal: store.journal) == 0)
    let mode = try FileManager.default.attributesOfItem(atPath: layout.tmpDirectory)[.posixPermissions] as? Int
    #expect(mode == 0o700)
  }

  @Test func aSpoolFileIsPrivateAndGoesWithItsLastHolder() throws {
    var file: SpoolFile? = try SpoolFile.create(in: layout.tmpDirectory)
    let path = try #require(file?.path)
    try file?.append(Array(repeating: 1, count: 3 << 20))
    #expect(file?.size == 3 << 20)
    #expect(try file?.read(at: (3 << 20) - 2, count: 10) == [1, 1])
    let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    file = nil
    #expect(!FileManager.default.fileExists(atPath: path))
    // A symbolic link planted as the folder is refused, never followed.
    let planted = dir.path + "/planted"
    try FileManager.default.createSymbolicLink(atPath: planted, withDestinationPath: dir.path)
    #expect(throws: IOError.self) { try SpoolFile.create(in: planted) }
  }
}
