import Foundation
import Glibc
import SourcekeepTestSupport
import Synchronization
import Testing

@testable import SourcekeepCore

/// One link cannot hold a run (or the watchdog) for longer than `fetch.link_deadline_s`
/// (issue #13, High 2): the deadline covers every redirect hop, retry and Retry-After wait.
extension FetchNetworkTests {
  @Suite struct LinkDeadlineTests {
    @Test func aDrippingRedirectChainEndsAtTheLinkDeadline() async throws {
      // Each hop drips a 302 body for ~1.2 s (inside the 5 s transfer timeout): 10 hops
      // would take 12 s; the deadline is 3 s.
      let server = try DripRedirectServer(hopMs: 1200)
      defer { server.stop() }
      let clock = ContinuousClock()
      let start = clock.now
      let r = try await fetchOnce(server.url("/hop/0")) {
        $0.timeoutS = 5
        $0.linkDeadlineS = 3
        $0.maxRedirects = 10
        $0.retries = 2
      }
      let took = clock.now - start
      #expect(r.status == .unreachable)
      #expect(r.reason == .timeout)
      #expect(r.errorMessage?.contains("fetch.link_deadline_s") == true, "\(r.errorMessage ?? "")")
      #expect(took < .seconds(5), "took \(took)")
      #expect(r.hops.count < 5)
      // A timeout is transient, but there is no time left for another attempt.
      #expect(r.attempts.count == 1)
    }

    @Test func retryAfterWaitsStayInsideTheLinkDeadline() async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      let clock = ContinuousClock()
      let start = clock.now
      let r = try await fetchOnce(server.url("/status/503?retry-after=10")) {
        $0.retries = 3
        $0.linkDeadlineS = 2
      } tuning: {
        $0.retryAfterCap = .seconds(60)
      }
      let took = clock.now - start
      #expect(took < .seconds(2), "took \(took)")
      #expect(r.status == .serverError)
      #expect(r.attempts.count == 1)
      #expect(server.requestLog.count == 1)
    }

    @Test func aRunRecordsTheLinkAsTimedOutAndGoesOn() async throws {
      let drip = try DripRedirectServer(hopMs: 1200)
      defer { drip.stop() }
      let server = try FixtureServer()
      defer { server.stop() }
      let dir = TempDirectory()
      let layout = StoreLayout(root: dir.path + "/data")
      let digest = dir.write(
        "2026-02-17.md", "# 2026年02月17日\n## 条目\n> **来源：** [a](\(drip.url("/hop/0"))) 、 [b](\(server.url("/ok")))\n")
      var c = Config()
      c.storage.dir = layout.root
      c.fetch.allowPrivateNetworks = true
      c.fetch.perHostIntervalMs = 0
      c.fetch.linkDeadlineS = 2
      try FileManager.default.createDirectory(atPath: layout.root, withIntermediateDirectories: true)
      let catalog = try Catalog(path: layout.catalog)
      let journal = Journal(directory: layout.journalDirectory)
      let fetcher = try Fetcher(config: c.fetch)
      let runner = LinkRunner(
        mode: .capture, config: c, fetcher: fetcher, catalog: catalog, journal: journal, layout: layout,
        configDigest: "t")
      let summary = try await IngestRun(catalog: catalog, journal: journal).run(
        paths: [], files: [digest], capture: CaptureStage(runner: runner))
      await fetcher.shutdown()
      #expect(summary.capture?.done == 2)
      let links = try catalog.reportModel(filter: ReportFilter()).links
      let dripped = try #require(links.first { $0.url.contains("/hop/0") })
      #expect(dripped.status == .unreachable)
      #expect(dripped.reason == "timeout")
      #expect(links.first { $0.url.hasSuffix("/ok") }?.status == .ok)
    }

    @Test func aLinkWellInsideTheDeadlineIsUnaffected() async throws {
      let server = try DripRedirectServer(hopMs: 100)
      defer { server.stop() }
      let r = try await fetchOnce(server.url("/hop/7")) { $0.linkDeadlineS = 10 }
      #expect(r.status == .redirected)
      #expect(r.hops.count == 4)
    }
  }
}

/// A loopback server whose `/hop/N` answers a 302 to `/hop/N+1` (up to `/hop/10`, then a 200)
/// and sends the redirect's 12-byte body one byte at a time over `hopMs`.
final class DripRedirectServer: Sendable {
  let port: Int
  private let listener: Int32
  private let state = Mutex((stopped: false, threads: 0))

  init(hopMs: Int) throws {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) }
    }
    guard fd >= 0, bound == 0, listen(fd, 64) == 0 else { throw POSIXError(.EADDRINUSE) }
    _ = withUnsafeMutablePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
    }
    listener = fd
    port = Int(UInt16(bigEndian: addr.sin_port))
    spawn { [self] in
      while true {
        let client = accept(listener, nil, nil)
        if client < 0 { return }
        spawn { [self] in
          serve(client, hopMs: hopMs)
          close(client)
        }
      }
    }
  }

  func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

  func stop() {
    let first = state.withLock { s -> Bool in
      defer { s.stopped = true }
      return !s.stopped
    }
    guard first else { return }
    shutdown(listener, Int32(SHUT_RDWR))
    close(listener)
    let deadline = Date().addingTimeInterval(10)
    while state.withLock({ $0.threads }) > 0 && Date() < deadline { usleep(2000) }
  }

  private func spawn(_ body: @escaping @Sendable () -> Void) {
    state.withLock { $0.threads += 1 }
    Thread { [self] in
      body()
      state.withLock { $0.threads -= 1 }
    }.start()
  }

  private func serve(_ fd: Int32, hopMs: Int) {
    var head: [UInt8] = []
    var byte: UInt8 = 0
    while !head.suffix(4).elementsEqual([13, 10, 13, 10]) {
      guard recv(fd, &byte, 1, 0) == 1 else { return }
      head.append(byte)
    }
    let target = String(decoding: head, as: UTF8.self).split(separator: " ").dropFirst().first ?? ""
    let n = Int(target.split(separator: "/").last ?? "") ?? 0
    func send(_ text: String) -> Bool {
      Array(text.utf8).withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } > 0
    }
    if n >= 10 {
      _ = send("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\nConnection: close\r\n\r\nfinal")
      return
    }
    let body = "redirecting\n"
    guard
      send(
        "HTTP/1.1 302 Found\r\nLocation: /hop/\(n + 1)\r\nContent-Length: \(body.utf8.count)\r\n"
          + "Connection: close\r\n\r\n")
    else { return }
    for ch in body {
      if state.withLock({ $0.stopped }) { return }
      usleep(UInt32(hopMs * 1000 / body.utf8.count))
      guard send(String(ch)) else { return }
    }
  }
}

/// `fetch.link_deadline_s` in the config, and the unit's restart limit (issue #13, High 2).
@Suite struct LinkDeadlineConfigTests {
  @Test func theKeyIsReadAndBadValuesNameIt() throws {
    #expect(Config().fetch.linkDeadlineS == 120)
    let loaded = try ConfigLoader.parse("[fetch]\nlink_deadline_s = 45\n", file: "/tmp/x.toml")
    #expect(loaded.config.fetch.linkDeadlineS == 45)
    for bad in ["0", "\"2m\"", "7200"] {
      do {
        _ = try ConfigLoader.parse("[fetch]\nlink_deadline_s = \(bad)\n", file: "/tmp/x.toml")
        Issue.record("link_deadline_s = \(bad) was accepted")
      } catch {
        #expect(error.key == "fetch.link_deadline_s")
      }
    }
  }

  @Test func theUnitStopsACrashLoop() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let unit = try String(contentsOf: root.appendingPathComponent("systemd/sourcekeep.service"), encoding: .utf8)
    let unitSection = unit.components(separatedBy: "[Service]")[0]
    #expect(unitSection.contains("\nStartLimitIntervalSec="))
    #expect(unitSection.contains("\nStartLimitBurst="))
  }
}
