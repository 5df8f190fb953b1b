import Foundation
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// The CDXJ index and the WACZ export on a real store: captures of the fixture site from a
/// loopback server, a re-check that writes revisits, records that reached the disk but not
/// the catalog (a crash between fsync and commit); checked against cdxj-indexer, warcio and
/// `wacz validate` (docs/design.md#cdxj-index, #wacz-export).
@Suite(.serialized) struct IndexAndExportTests {
  let dir = TempDirectory()
  var layout: StoreLayout { StoreLayout(root: dir.path + "/data") }

  func config() -> Config {
    var c = Config()
    c.storage.dir = layout.root
    c.fetch.allowPrivateNetworks = true
    c.fetch.perHostConcurrency = 4
    c.fetch.perHostIntervalMs = 0
    c.fetch.timeoutS = 5
    c.fetch.retries = 0
    return c
  }

  /// A store with two digests (the fixture digest, and one citing a single article), every
  /// link captured and then re-checked (revisits).
  func makeStore() async throws -> (Catalog, FixtureServer, String) {
    let server = try FixtureServer()
    let site = try FixtureSite()
    site.serve(on: server)
    let base = String(server.url("/").dropLast())
    let one = base + (try site.page("wechat-yunque7-chenxing.html").url)
    let digests = [
      dir.write("2026-03-09.md", try FixtureSite.digest(base: base)),
      dir.write(
        "2026-03-10.md", "# 2026年03月10日\n\n## 一条\n> **来源：** [量子位](\(one)) 、 [图](\(base)/article/0/3/exp)\n"),
    ]
    try FileManager.default.createDirectory(atPath: layout.root, withIntermediateDirectories: true)
    let catalog = try Catalog(path: layout.catalog)
    let journal = Journal(directory: layout.journalDirectory)
    let c = config()
    for mode in [LinkRunner.Mode.capture, .check] {
      let fetcher = try Fetcher(config: c.fetch)
      let runner = LinkRunner(
        mode: mode, config: c, fetcher: fetcher, catalog: catalog, journal: journal, layout: layout,
        configDigest: "sha1:TEST")
      if mode == .capture {
        _ = try await IngestRun(catalog: catalog, journal: journal).run(
          paths: [], files: digests, capture: CaptureStage(runner: runner, progress: { _, _ in }))
      } else {
        _ = await runner.run(try catalog.linksToCheck(all: true)) { _, _ in }
      }
      await fetcher.shutdown()
    }
    return (catalog, server, one)
  }

  func warcFiles() -> [String] { WARCWriter.files(in: layout.warcDirectory).map { layout.warcDirectory + "/" + $0 } }

  func lines(_ path: String) -> [String] {
    ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
  }

  /// cdxj-indexer's sorted index of `files`.
  func reference(_ files: [String]) throws -> [String] {
    let out = dir.file("reference-\(UUID().uuidString).cdxj")
    let run = try ExternalTool.run("cdxj-indexer", ["-s", "-o", out] + files)
    #expect(run.status == 0, "cdxj-indexer: \(run.output)")
    return lines(out)
  }

  @Test func theIndexListsExactlyWhatTheCatalogPointsAtAsCdxjIndexerWouldWriteIt() async throws {
    let (catalog, server, _) = try await makeStore()
    defer { server.stop() }
    let files = CDXJIndexFiles(root: layout.root)
    // Kept current by the captures: the two files together are the whole index.
    let incremental = (lines(files.main) + lines(files.recent)).sorted {
      Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8))
    }
    #expect(!incremental.isEmpty)
    try files.rewrite(from: catalog)
    let whole = lines(files.main)
    #expect(!FileManager.default.fileExists(atPath: files.recent))
    #expect(incremental == whole)
    // Byte for byte what cdxj-indexer writes for the same files (nothing uncommitted here).
    #expect(whole == (try reference(warcFiles())))
    #expect(whole.contains { $0.contains("\"mime\": \"warc/revisit\"") })
    // Every snapshot the catalog has is in the index at its offset.
    for snapshot in try catalog.allSnapshots() {
      let name = snapshot.location.file.split(separator: "/").last!
      #expect(
        whole.contains { $0.contains("\"offset\": \"\(snapshot.location.offset)\", \"filename\": \"\(name)\"") },
        "snapshot \(snapshot.id) at \(snapshot.location.offset) is not in the index")
    }

    // Records on disk that the catalog never recorded (the process died between the fsync
    // and the commit) are left out; cdxj-indexer, reading the files, lists them.
    let writer = WARCWriter(layout: layout, knownEnd: { catalog.archivedEnd(of: $0) })
    let builder = WARCRecordBuilder()
    let orphan = builder.exchange(
      ArchivedExchange(
        targetURI: "http://127.0.0.1/orphan", requestHead: Array("GET /orphan HTTP/1.1\r\n\r\n".utf8),
        responseHead: Array("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".utf8), body: Array("x".utf8),
        remoteIP: nil, truncated: false, date: Date()), warcinfoID: nil)
    _ = try writer.write([orphan.request, orphan.response])
    try files.refresh(from: catalog)
    let afterCrash = lines(files.main) + lines(files.recent)
    #expect(afterCrash.sorted() == whole.sorted())
    #expect(!afterCrash.contains { $0.contains("orphan") })
    #expect((try reference(warcFiles())).contains { $0.contains("orphan") })
  }

  @Test func aWACZOfTheWholeStoreAndOfOneDigestValidatesAndMatchesTheCatalog() async throws {
    let (catalog, server, one) = try await makeStore()
    defer { server.stop() }
    let exporter = WACZExporter(catalog: catalog, root: layout.root)

    let all = try catalog.exportSelection(digests: [], since: nil)
    #expect(all.unmatched.isEmpty)
    let whole = dir.file("all.wacz")
    let summary = try exporter.export(all.selection, to: whole, title: "test")
    #expect(summary.pages == all.selection.pages.count)
    let validate = try ExternalTool.run("wacz", ["validate", "-f", whole])
    #expect(validate.status == 0, "wacz validate: \(validate.output)")
    let unpacked = try unzip(whole)
    // The package's index is cdxj-indexer's index of the package's WARC files, and every
    // exported WARC passes warcio check.
    let archived = try FileManager.default.contentsOfDirectory(atPath: unpacked + "/archive").sorted().map {
      unpacked + "/archive/" + $0
    }
    #expect(lines(unpacked + "/indexes/index.cdxj") == (try reference(archived)))
    for file in archived {
      let check = try ExternalTool.run("warcio", ["check", file])
      #expect(check.status == 0, "warcio check \(file): \(check.output)")
    }
    // Every capture is there: the store's index and the package's list the same records.
    func withoutPlace(_ line: String) -> String {
      String(line[..<line.range(of: ", \"length\"")!.lowerBound])
    }
    try CDXJIndexFiles(root: layout.root).rewrite(from: catalog)
    #expect(
      lines(unpacked + "/indexes/index.cdxj").map(withoutPlace)
        == lines(CDXJIndexFiles(root: layout.root).main).map(withoutPlace))
    // One page per captured, cited link, with the catalog's title.
    let pages = lines(unpacked + "/pages/pages.jsonl")
    #expect(pages.first?.contains("\"format\":\"json-pages-1.0\"") == true)
    let model = try catalog.reportModel(filter: ReportFilter())
    let captured = model.links.filter { $0.snapshot != nil }
    #expect(pages.count - 1 == captured.count)
    for link in captured {
      #expect(
        pages.contains {
          $0.contains("\"url\":\"\(link.finalURL ?? link.url)\"") || $0.contains("\"url\":\"\(link.url)\"")
        })
    }

    // A page carries its stored text when the text fits the cap, and only then (the cap is
    // decided from the length the text's gzip trailer records, without inflating it).
    let full = all.selection.pages.map { catalog.snapshotText($0.textSnapshot) }
    let lengths = full.compactMap { $0?.utf8.count }.filter { $0 > 0 }.sorted()
    #expect(lengths.count >= 2, "\(lengths)")
    var capped = exporter
    capped.maxPageText = lengths[lengths.count / 2]
    #expect(
      catalog.snapshotTexts(all.selection.pages.map(\.textSnapshot), maxBytes: capped.maxPageText)
        == full.map { $0.flatMap { $0.utf8.count <= capped.maxPageText ? $0 : nil } })
    let scratch = dir.file("capped-pages.jsonl")
    _ = try capped.writePages(all.selection.pages, exportedURLs: [], to: scratch)
    let written = Array(lines(scratch).dropFirst())
    #expect(written.count == full.count)
    for (line, text) in zip(written, full) {
      let fits = text.map { !$0.isEmpty && $0.utf8.count <= capped.maxPageText } ?? false
      #expect(line.contains("\"text\":") == fits, "\(line.prefix(200))")
    }

    // One digest: only its two articles (each captured, then revisited) and the images of one.
    let selected = try catalog.exportSelection(digests: ["2026-03-10"], since: nil)
    let article = String(server.url("/article/0/3/exp"))
    #expect(Set(selected.selection.pages.map(\.url)) == [one, article])
    let single = dir.file("one.wacz")
    _ = try exporter.export(selected.selection, to: single, title: "one")
    let validateOne = try ExternalTool.run("wacz", ["validate", "-f", single])
    #expect(validateOne.status == 0, "wacz validate: \(validateOne.output)")
    let oneDir = try unzip(single)
    let oneIndex = lines(oneDir + "/indexes/index.cdxj")
    let pageLines = oneIndex.filter { $0.contains("\"url\": \"\(one)\"") || $0.contains("\"url\": \"\(article)\"") }
    #expect(pageLines.filter { $0.contains("warc/revisit") }.count == 2)
    #expect(pageLines.filter { $0.contains("\"mime\": \"text/html\"") }.count == 2)
    // The images: each one's first capture (a response), whatever the re-check wrote.
    let images = oneIndex.filter { $0.contains("/img/exp-") }
    #expect(Set(images.filter { $0.contains("image/png") }.map { $0.split(separator: " ")[0] }).count == 3)
    // Nothing of the other digest's links.
    let allowed = ["/img/exp-", one, article, "urn:sourcekeep:"]
    #expect(oneIndex.allSatisfy { line in allowed.contains { line.contains($0) } }, "\(oneIndex)")
    #expect(try catalog.exportSelection(digests: ["1999-01-01"], since: nil).unmatched == ["1999-01-01"])
  }

  func unzip(_ file: String) throws -> String {
    let out = dir.file("unzipped-\(UUID().uuidString)")
    let run = try ExternalTool.run("python3", ["-m", "zipfile", "-e", file, out])
    #expect(run.status == 0, "unzip: \(run.output)")
    return out
  }
}
