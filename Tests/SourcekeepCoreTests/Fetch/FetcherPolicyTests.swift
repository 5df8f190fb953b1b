import Foundation
import SourcekeepCore
import SourcekeepTestSupport
import Testing

extension FetchNetworkTests {
  @Suite struct FetcherPolicyTests {
    @Test func loopbackIsRefusedBeforeConnectByDefault() async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      let r = try await fetchOnce(server.url("/ok")) { $0.allowPrivateNetworks = false }
      #expect(r.status == .excluded)
      #expect(r.reason == .privateNetwork)
      #expect(r.errorMessage?.contains("private_allowlist") == true)
      #expect(server.connectionCount == 0)
      #expect(server.requestLog.isEmpty)
    }

    @Test func redirectToAHostOutsideTheAllowlistIsRefusedAtTheSecondHop() async throws {
      let server = try FixtureServer(addresses: ["127.0.0.2", "127.0.0.3"])
      defer { server.stop() }
      let target = server.url("/ok", host: 1)
      let r = try await fetchOnce(server.url("/to?url=\(target)")) {
        $0.allowPrivateNetworks = false
        $0.privateAllowlist = ["127.0.0.2"]
      }
      #expect(r.status == .excluded)
      #expect(r.reason == .privateNetwork)
      #expect(r.hops.count == 2)
      #expect(r.hops[0].httpStatus == 302)
      #expect(r.hops[1].url == target)
      #expect(server.requestLog.map(\.address) == ["127.0.0.2"])
      #expect(server.connectionCount == 1)
    }

    @Test func nameResolvingToLoopbackIsRefusedAtConnectTime() async throws {
      // `localhost` is no IP literal: only the open-socket guard sees its 127.0.0.1 / ::1.
      let server = try FixtureServer()
      defer { server.stop() }
      let r = try await fetchOnce("http://localhost:\(server.ports[0])/ok") { $0.allowPrivateNetworks = false }
      #expect(r.status == .excluded)
      #expect(r.reason == .privateNetwork)
      #expect(r.errorMessage?.contains("curl 7") == true)
      #expect(server.connectionCount == 0)
    }

    @Test func redirectToANameResolvingToLoopbackIsRefusedAtConnectTime() async throws {
      let server = try FixtureServer(addresses: ["127.0.0.2", "127.0.0.1"])
      defer { server.stop() }
      let target = "http://localhost:\(server.ports[1])/ok"
      let r = try await fetchOnce(server.url("/to?url=\(target)")) {
        $0.allowPrivateNetworks = false
        $0.privateAllowlist = ["127.0.0.2"]
      }
      #expect(r.status == .excluded)
      #expect(r.reason == .privateNetwork)
      #expect(r.hops.map(\.url) == [server.url("/to?url=\(target)"), target])
      #expect(server.requestLog.map(\.address) == ["127.0.0.2"])
      #expect(server.connectionCount == 1)
    }

    @Test func allowlistedCIDRBlockIsFetched() async throws {
      let server = try FixtureServer(addresses: ["127.0.0.2"])
      defer { server.stop() }
      let r = try await fetchOnce(server.url("/ok")) {
        $0.allowPrivateNetworks = false
        $0.privateAllowlist = ["127.0.0.0/30"]
      }
      #expect(r.status == .ok)
    }

    @Test func transientFailuresAreRetriedAndEveryAttemptReported() async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      let r = try await fetchOnce(server.url("/flaky/a/2/503")) { $0.retries = 2 }
      #expect(r.status == .ok)
      #expect(r.attempts.map(\.status) == [.serverError, .serverError, .ok])
      #expect(r.attempts[0].delayBeforeNext != nil)
      #expect(r.attempts[2].delayBeforeNext == nil)
      let fewer = try await fetchOnce(server.url("/flaky/b/2/503")) { $0.retries = 1 }
      #expect(fewer.status == .serverError)
      #expect(fewer.attempts.count == 2)
      #expect(server.requestLog.count == 5)
    }

    @Test func permanentFailuresAreNotRetried() async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      let r = try await fetchOnce(server.url("/status/404")) { $0.retries = 3 }
      #expect(r.status == .gone)
      #expect(r.attempts.count == 1)
    }

    @Test func retryAfterSecondsIsHonoured() async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      let r = try await fetchOnce(server.url("/flaky/c/1/429?retry-after=1")) { $0.retries = 1 }
      #expect(r.status == .ok)
      #expect(r.attempts.first?.status == .rateLimited)
      #expect(r.attempts.first?.delayBeforeNext == .seconds(1))
      let log = server.requestLog
      #expect(log.count == 2)
      #expect((log[1].start - log[0].start).ms >= 1000)
    }

    @Test func duplicateRequestsInFlightAreMerged() async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      let fetcher = try loopbackFetcher()
      let url = server.url("/delay/300")
      let results = await fetcher.fetch([FetchRequest(url: url), FetchRequest(url: url), FetchRequest(url: url)])
      await fetcher.shutdown()
      #expect(results.map(\.status) == [.ok, .ok, .ok])
      #expect(server.requestLog.count == 1)
    }

    @Test func perHostConcurrencyHoldsInTheServersLog() async throws {
      let server = try FixtureServer(addresses: ["127.0.0.2", "127.0.0.3", "127.0.0.4"])
      defer { server.stop() }
      let fetcher = try loopbackFetcher {
        $0.concurrency = 16
        $0.perHostConcurrency = 2
      }
      var requests: [FetchRequest] = []
      for host in 0..<3 {
        for i in 0..<6 { requests.append(FetchRequest(url: server.url("/delay/60?i=\(i)", host: host))) }
      }
      let results = await fetcher.fetch(requests)
      await fetcher.shutdown()
      #expect(results.allSatisfy { $0.status == .ok })
      let log = server.requestLog
      #expect(log.count == 18)
      for address in server.addresses {
        let mine = log.filter { $0.address == address }
        for r in mine {
          let overlapping = mine.filter { $0.start <= r.start && ($0.end ?? .now) > r.start }
          #expect(overlapping.count <= 2, "\(address) had \(overlapping.count) requests in flight")
        }
      }
      // Hosts are served side by side, not one after another.
      let firstStarts = server.addresses.map { a in log.first { $0.address == a }!.start }
      let lastEnd = log.compactMap(\.end).max()!
      #expect(firstStarts.allSatisfy { $0 < lastEnd })
    }

    @Test func perHostIntervalSeparatesRequestStarts() async throws {
      let server = try FixtureServer(addresses: ["127.0.0.2"])
      defer { server.stop() }
      let fetcher = try loopbackFetcher {
        $0.perHostConcurrency = 2
        $0.perHostIntervalMs = 150
      }
      let requests = (0..<5).map { FetchRequest(url: server.url("/ok?i=\($0)")) }
      _ = await fetcher.fetch(requests)
      await fetcher.shutdown()
      let log = server.requestLog
      #expect(log.count == 5)
      // The first request also waited for the fixture to spawn its connection thread;
      // compare the starts on the kept-alive connection after it.
      let starts = log.dropFirst().map(\.start).sorted()
      // The fetcher spaces the moments its request heads are sent by 150 ms; the server
      // reads them a thread wake-up later, which can differ per request: a few ms of slack.
      for (a, b) in zip(starts, starts.dropFirst()) { #expect((b - a).ms >= 150 - 10) }
    }

    @Test func aSlowHostDoesNotStallTheOthers() async throws {
      let server = try FixtureServer(addresses: ["127.0.0.2", "127.0.0.3"])
      defer { server.stop() }
      let fetcher = try loopbackFetcher {
        $0.concurrency = 4
        $0.perHostConcurrency = 1
      }
      var requests = (0..<3).map { FetchRequest(url: server.url("/delay/1500?i=\($0)", host: 0)) }
      requests += (0..<5).map { FetchRequest(url: server.url("/ok?i=\($0)", host: 1)) }
      _ = await fetcher.fetch(requests)
      await fetcher.shutdown()
      let log = server.requestLog
      let slowSecondStart = log.filter { $0.address == "127.0.0.2" }.map(\.start).sorted()[1]
      let fastEnds = log.filter { $0.address == "127.0.0.3" }.compactMap(\.end)
      #expect(fastEnds.count == 5)
      #expect(fastEnds.allSatisfy { $0 < slowSecondStart })
    }

    @Test func keepAliveConnectionsAreReused() async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      let fetcher = try loopbackFetcher { $0.perHostConcurrency = 1 }
      for i in 0..<5 { _ = await fetcher.fetch(FetchRequest(url: server.url("/ok?i=\(i)"))) }
      await fetcher.shutdown()
      #expect(server.requestLog.count == 5)
      #expect(server.connectionCount == 1)
    }

    @Test func rateLimitedToTheEndReportsEveryAttempt() async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      let r = try await fetchOnce(server.url("/status/429?retry-after=0")) { $0.retries = 2 }
      #expect(r.status == .rateLimited)
      #expect(r.httpStatus == 429)
      #expect(r.attempts.map(\.status) == [.rateLimited, .rateLimited, .rateLimited])
      #expect(r.attempts.map(\.delayBeforeNext) == [.zero, .zero, nil])
    }

    @Test func configuredProxyCarriesTheRequest() async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      // The name does not resolve: only the proxy (the fixture) can answer.
      let r = try await fetchOnce("http://sourcekeep-proxied.invalid/ok") { $0.proxy = server.url("/") }
      #expect(r.status == .ok)
      #expect(server.requestLog.first?.target == "http://sourcekeep-proxied.invalid/ok")
    }

    @Test func privateIPLiteralIsRefusedWithoutAnyConnection() async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      let r = try await fetchOnce("http://127.0.0.1:\(server.ports[0])/ok") {
        $0.allowPrivateNetworks = false
        $0.proxy = server.url("/")
      }
      #expect(r.status == .excluded)
      #expect(r.reason == .privateNetwork)
      #expect(server.connectionCount == 0)
    }

    @Test func aThousandTransfersInFlightLeakNoDescriptors() async throws {
      let before = openFDCount()
      do {
        let server = try FixtureServer(addresses: ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"])
        defer { server.stop() }
        let fetcher = try loopbackFetcher {
          $0.concurrency = 1000
          $0.perHostConcurrency = 250
          $0.timeoutS = 60
        }
        var requests: [FetchRequest] = []
        for i in 0..<1000 { requests.append(FetchRequest(url: server.url("/delay/500?i=\(i)", host: i % 4))) }
        let results = await fetcher.fetch(requests)
        #expect(results.filter { $0.status == .ok }.count == 1000)
        #expect(server.connectionCount >= 900)
        await fetcher.shutdown()
      }
      // Give the kernel and the fixture's threads a moment, then compare.
      var after = openFDCount()
      for _ in 0..<50 where after > before {
        try await Task.sleep(for: .milliseconds(100))
        after = openFDCount()
      }
      #expect(after <= before, "fds before \(before), after \(after)")
    }
  }
}
