import Foundation
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// Stored validators are sent again only as clean header values, and only to the URL they
/// came from (issue #13, Medium 6).
extension FetchNetworkTests {
  @Suite struct ValidatorTests {
    static let hostileETag = "\"abc\"\rX-Injected: yes"
    static let hostileDate = "Wed, 21 Oct 2015 07:28:00 GMT\rX-Other: yes"
    /// libcurl refuses a response with a NUL in its head, so this one is only ever stored.
    static let nulDate = "Wed, 21 Oct 2015 07:28:00 GMT\u{0}X-Nul: yes"

    @Test func aValidatorWithCRLFOrNULIsNeitherKeptNorSentAgain() async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      server.serve(
        "/hostile",
        .init(
          headers: ["Content-Type: text/html", "ETag: \(Self.hostileETag)", "Last-Modified: \(Self.hostileDate)"],
          body: Array(FixtureServer.okPage.utf8)))
      let first = try await fetchOnce(server.url("/hostile"))
      #expect(first.status == .ok)
      // What the server sent arrives as one header value with the CR inside.
      let raw = try #require(first.exchange?.header("ETag"))
      #expect(raw.contains("\r"))
      #expect(first.validators.etag == nil)
      #expect(first.validators.lastModified == nil)

      // Even when handed the raw values (a catalog written by an older version), nothing
      // they carry reaches the wire.
      let second = try await fetchOnce(
        server.url("/hostile"), request: { FetchRequest(url: $0, etag: raw, lastModified: Self.nulDate) })
      let sent = try #require(second.exchange?.requestHeader)
      let text = String(decoding: sent, as: UTF8.self)
      #expect(!text.contains("X-Injected"), "\(text)")
      #expect(!text.contains("X-Nul"), "\(text)")
      #expect(!text.contains("X-Other"), "\(text)")
      #expect(!sent.contains(0))
      for (i, byte) in sent.enumerated() where byte == 13 {
        #expect(i + 1 < sent.count && sent[i + 1] == 10, "a bare CR at \(i) in \(text)")
      }
      #expect(server.requestLog.count == 2)
      #expect(server.requestLog[1].header("If-None-Match") == nil)
      #expect(server.requestLog[1].header("If-Modified-Since") == nil)
    }

    @Test func aCleanValidatorStillRoundTrips() async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      let first = try await fetchOnce(server.url("/etag"))
      #expect(first.validators.etag == "\"v1\"")
      #expect(first.validators.lastModified == "Wed, 21 Oct 2015 07:28:00 GMT")
      let etag = first.validators.etag
      let second = try await fetchOnce(server.url("/etag"), request: { FetchRequest(url: $0, etag: etag) })
      #expect(second.httpStatus == 304)
    }

    /// A link that redirects: the final response's ETag belongs to the final URL, and must
    /// not be sent to the first hop on the next check.
    @Test func validatorsGoOnlyToTheURLTheyCameFrom() async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      let dir = TempDirectory()
      let layout = StoreLayout(root: dir.path + "/data")
      let base = String(server.url("/").dropLast())
      let digest = dir.write(
        "2026-02-17.md", "# 2026年02月17日\n## 条目\n> **来源：** [a](\(base)/to?url=/etag) 、 [b](\(base)/etag)\n")
      var c = Config()
      c.storage.dir = layout.root
      c.fetch.allowPrivateNetworks = true
      c.fetch.perHostIntervalMs = 0
      c.fetch.retries = 0
      try FileManager.default.createDirectory(atPath: layout.root, withIntermediateDirectories: true)
      let catalog = try Catalog(path: layout.catalog)
      let journal = Journal(directory: layout.journalDirectory)
      let fetcher = try Fetcher(config: c.fetch)
      func runner(_ mode: LinkRunner.Mode) -> LinkRunner {
        LinkRunner(
          mode: mode, config: c, fetcher: fetcher, catalog: catalog, journal: journal, layout: layout,
          configDigest: "t")
      }
      _ = try await IngestRun(catalog: catalog, journal: journal).run(
        paths: [], files: [digest], capture: CaptureStage(runner: runner(.capture)))
      let before = server.requestLog.count
      _ = await runner(.check).run(try catalog.linksToCheck(urls: [base + "/to?url=/etag", base + "/etag"])) { _, _ in }
      await fetcher.shutdown()
      let checks = server.requestLog.dropFirst(before)
      let redirecting = checks.filter { $0.target.hasPrefix("/to") }
      let direct = checks.filter { $0.target == "/etag" }
      #expect(redirecting.count == 1)
      #expect(redirecting.allSatisfy { $0.header("If-None-Match") == nil && $0.header("If-Modified-Since") == nil })
      // The direct link's own validators do come back (and get their 304).
      #expect(direct.contains { $0.header("If-None-Match") == "\"v1\"" })
    }
  }
}
