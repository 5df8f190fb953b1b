import Foundation
import Glibc
import SourcekeepCore
import SourcekeepTestSupport
import Testing

extension FetchNetworkTests {
  @Suite struct FetcherStatusTests {
    @Test(arguments: [
      (404, CheckStatus.gone), (410, .gone), (401, .forbidden), (403, .forbidden), (451, .forbidden),
      (429, .rateLimited), (500, .serverError), (503, .serverError), (200, .ok), (400, .blocked),
    ])
    func httpStatusCodesMapToCheckStatuses(code: Int, status: CheckStatus) async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      let r = try await fetchOnce(server.url("/status/\(code)"))
      #expect(r.status == status)
      #expect(r.httpStatus == code)
      #expect(r.attempts.count == 1)
    }

    @Test func relativeRedirectsAreFollowedHopByHop() async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      let r = try await fetchOnce(server.url("/redirect/3"))
      #expect(r.status == .redirected)
      #expect(r.httpStatus == 200)
      #expect(r.hops.map(\.httpStatus) == [302, 302, 302, 200])
      #expect(r.hops[0].location == server.url("/redirect/2"))
      #expect(r.finalURL == server.url("/redirect/0"))
      #expect(r.finalAttempt.exchanges.count == 4)
      #expect(server.requestLog.map(\.target) == ["/redirect/3", "/redirect/2", "/redirect/1", "/redirect/0"])
    }

    @Test func absoluteRedirectToAnotherHostIsFollowed() async throws {
      let server = try FixtureServer(addresses: ["127.0.0.2", "127.0.0.3"])
      defer { server.stop() }
      let target = server.url("/ok", host: 1)
      let r = try await fetchOnce(server.url("/to?url=\(target)"))
      #expect(r.status == .redirected)
      #expect(r.finalURL == target)
      #expect(r.hops.count == 2)
    }

    @Test func twelveHopsExceedMaxRedirects() async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      let r = try await fetchOnce(server.url("/redirect/12")) { $0.maxRedirects = 10 }
      #expect(r.status == .unreachable)
      #expect(r.reason == .redirectLoop)
      #expect(server.requestLog.count == 11)
      let fits = try await fetchOnce(server.url("/redirect/10")) { $0.maxRedirects = 10 }
      #expect(fits.status == .redirected)
    }

    @Test func redirectLoopIsDetected() async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      let r = try await fetchOnce(server.url("/loop/a"))
      #expect(r.status == .unreachable)
      #expect(r.reason == .redirectLoop)
      #expect(r.hops.count == 2)
    }

    @Test func nonHTTPSchemesAreExcludedAlsoAfterARedirect() async throws {
      let r = try await fetchOnce("ftp://127.0.0.1/file")
      #expect(r.status == .excluded)
      #expect(r.reason == .scheme)
      let server = try FixtureServer()
      defer { server.stop() }
      let viaRedirect = try await fetchOnce(server.url("/to?url=file:///etc/passwd"))
      #expect(viaRedirect.status == .excluded)
      #expect(viaRedirect.reason == .scheme)
    }

    @Test func acceptAndCloseIsAReset() async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      let r = try await fetchOnce(server.url("/close"))
      #expect(r.status == .unreachable)
      #expect(r.reason == .reset)
    }

    @Test func resetMidBodyIsAReset() async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      let r = try await fetchOnce(server.url("/reset"))
      #expect(r.status == .unreachable)
      #expect(r.reason == .reset)
    }

    @Test func nonHTTPAnswerIsAProtocolFailure() async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      let r = try await fetchOnce(server.url("/garbage"))
      #expect(r.status == .unreachable)
      #expect(r.reason == .protocol)
    }

    @Test func closedPortIsRefused() async throws {
      // Bind a port and close it again: nothing listens there afterwards.
      let closed = try FixtureServer()
      let port = closed.ports[0]
      closed.stop()
      let r = try await fetchOnce("http://127.0.0.1:\(port)/ok")
      #expect(r.status == .unreachable)
      #expect(r.reason == .refused)
    }

    @Test func unresolvableHostFailsAsDNS() async throws {
      let r = try await fetchOnce(UnresolvableHost.url())
      #expect(r.status == .unreachable)
      #expect(r.reason == .dns)
      #expect(r.errorMessage?.contains("sourcekeep-test.invalid") == true)
    }

    @Test func httpsToAPlainHTTPPortIsATLSFailure() async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      let r = try await fetchOnce("https://127.0.0.1:\(server.ports[0])/ok")
      #expect(r.status == .unreachable)
      #expect(r.reason == .tls || r.reason == .protocol)
    }

    @Test func oneByteASecondDripFailsAsTimeout() async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      let r = try await fetchOnce(server.url("/drip/60")) {
        $0.timeoutS = 30
      } tuning: {
        $0.lowSpeedLimit = 10
        $0.lowSpeedTimeS = 2
      }
      #expect(r.status == .unreachable)
      #expect(r.reason == .timeout)
      #expect(r.elapsedMs < 25_000)
    }

    @Test func wholeTransferTimeoutFires() async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      let r = try await fetchOnce(server.url("/delay/3000")) { $0.timeoutS = 1 }
      #expect(r.status == .unreachable)
      #expect(r.reason == .timeout)
    }
  }
}
