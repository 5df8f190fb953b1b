import Foundation
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// `ingest now` whose WARC folder fills up mid-run (a 2 MiB tmpfs mounted over it; we run as
/// root here and in CI): links whose records did not reach the disk are not reported captured,
/// the failure is journaled with the WARC file, and what the catalog points to is all readable.
@Suite(.serialized) struct CaptureOnAFullDiskTests {
  let dir = TempDirectory()
  var layout: StoreLayout { StoreLayout(root: dir.path + "/data") }

  @Test func aFullArchiveDiskLosesNoReportedCaptureAndIsJournaled() async throws {
    let warc = layout.warcDirectory
    let mounted = try WARCWriteFailureTests.mountTmpfs(warc)
    try #require(mounted.status == 0, "mount -t tmpfs failed (run the tests as root): \(mounted.output)")
    defer { _ = try? WARCWriteFailureTests.run("/bin/umount", ["-l", warc]) }

    let server = try FixtureServer()
    defer { server.stop() }
    var links: [String] = []
    for n in 1...10 {
      // ~400 KB of base64 text, ~300 KB gzipped each: 10 of them do not fit in 2 MiB.
      let noise = Data(ArchiveVerifierStreamTests.noise(300 << 10)).base64EncodedString()
      let body = "<html><head><title>page \(n)</title></head><body><p>\(noise)</p></body></html>"
      server.serve("/p\(n)", .init(body: Array(body.utf8)))
      links.append("[p\(n)](\(server.url("/p\(n)")))")
    }
    let digest = dir.write("2026-02-17.md", "# 速递\n\n## 一\n\n> **来源：** \(links.joined(separator: " 、 "))\n")
    var c = Config()
    c.storage.dir = layout.root
    c.fetch.allowPrivateNetworks = true
    c.fetch.perHostConcurrency = 1
    c.fetch.perHostIntervalMs = 0
    c.fetch.maxBodyMB = 2
    let catalog = try Catalog(path: layout.catalog)
    let journal = Journal(directory: layout.journalDirectory)
    let fetcher = try Fetcher(config: c.fetch)
    let runner = LinkRunner(
      mode: .capture, config: c, fetcher: fetcher, catalog: catalog, journal: journal, layout: layout,
      configDigest: "sha1:TEST")
    let outcomes = CaptureEndToEndTests.Outcomes()
    _ = try await IngestRun(catalog: catalog, journal: journal).run(
      paths: [], files: [digest], capture: CaptureStage(runner: runner, progress: { o, _ in outcomes.add(o) }))
    await fetcher.shutdown()

    let archived = outcomes.byURL.values.compactMap(\.archived)
    // Links finishing together share one append (group commit): a failed batch loses them all.
    #expect(archived.count >= 1 && archived.count < 10, "\(archived.count) archived")
    // The failed appends: an `error` naming the WARC file, the cut, and each link's own error.
    let errors = JournalReader(directory: layout.journalDirectory).lines().filter { $0.event == "error" }
    let fileErrors = errors.filter { $0.value?["path"]?.stringValue?.hasPrefix("warc/sourcekeep-") == true }
    #expect(!fileErrors.isEmpty, "\(errors.map(\.raw))")
    #expect(fileErrors.allSatisfy { $0.value?["message"]?.stringValue?.contains("cut back to") == true })
    #expect(errors.count - fileErrors.count == 10 - archived.count, "\(errors.map(\.raw))")

    // The catalog has exactly the reported captures, each readable where it says.
    let snapshots = try catalog.allSnapshots()
    #expect(Set(snapshots.map(\.location.offset)) == Set(archived.map(\.offset)))
    for s in snapshots {
      let (record, _) = try WARCFile.record(at: s.location.offset, in: layout.root + "/" + s.location.file)
      #expect(record.header("WARC-Payload-Digest") == s.payloadDigest)
    }
    let report = ArchiveVerifier(layout: layout).verify(snapshots)
    #expect(report.problems.isEmpty, "\(report.problems)")
    #expect(report.warnings.isEmpty, "\(report.warnings)")
    for file in WARCWriter.files(in: warc) {
      let check = try ExternalTool.run("warcio", ["check", warc + "/" + file])
      #expect(check.status == 0, "warcio check: \(check.output)")
    }
  }
}
