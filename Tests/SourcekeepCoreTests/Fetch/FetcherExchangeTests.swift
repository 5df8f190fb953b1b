import Foundation
import SourcekeepCore
import SourcekeepTestSupport
import Testing

extension FetchNetworkTests {
  @Suite struct FetcherExchangeTests {
    @Test func okPageArrivesWithExactRequestAndResponseBytes() async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      let r = try await fetchOnce(server.url("/ok"))
      #expect(r.status == .ok)
      #expect(r.reason == nil)
      #expect(r.httpStatus == 200)
      let ex = try #require(r.exchange)
      let request = String(decoding: ex.requestHeader, as: UTF8.self)
      #expect(request.hasPrefix("GET /ok HTTP/1.1\r\n"))
      #expect(request.contains("\r\nAccept-Encoding: gzip, deflate\r\n"))
      #expect(request.hasSuffix("\r\n\r\n"))
      let response = String(decoding: ex.responseHeader, as: UTF8.self)
      #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
      #expect(response.hasSuffix("\r\n\r\n"))
      #expect(ex.body == Array(FixtureServer.okPage.utf8))
      #expect(ex.remoteIP == "127.0.0.1")
      #expect(ex.remotePort == server.ports[0])
      #expect(ex.timings.totalMs >= ex.timings.connectMs)
      #expect(r.contentType == "text/html; charset=utf-8")
      #expect(r.hops == [Hop(url: server.url("/ok"), httpStatus: 200, location: nil)])
      #expect(server.requestLog.first?.header("User-Agent") == FetchConfig.defaultUserAgent)
    }

    @Test func chunkedFramingIsRemovedAndTheHeaderKept() async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      let r = try await fetchOnce(server.url("/chunked"))
      let ex = try #require(r.exchange)
      #expect(r.status == .ok)
      #expect(ex.header("Transfer-Encoding") == "chunked")
      #expect(
        String(decoding: ex.body, as: UTF8.self)
          == "<html><head><title>Chunked</title></head><body>three chunks</body></html>")
    }

    @Test func gzipBodyIsKeptAsReceivedAndDecodedSeparately() async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      let r = try await fetchOnce(server.url("/gzip"))
      let ex = try #require(r.exchange)
      #expect(ex.header("Content-Encoding") == "gzip")
      #expect(Array(ex.body.prefix(2)) == [0x1f, 0x8b])
      #expect(try r.decodedBody() == Array(FixtureServer.okPage.utf8))
      #expect(throws: FetchError.self) { try r.decodedBody(limit: 10) }
    }

    @Test func matchingValidatorGets304AndCountsAsOk() async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      let first = try await fetchOnce(server.url("/etag"))
      let etag = try #require(first.exchange?.header("ETag"))
      let lastModified = try #require(first.exchange?.header("Last-Modified"))
      let r = try await fetchOnce(server.url("/etag"), request: { FetchRequest(url: $0, etag: etag) })
      #expect(r.httpStatus == 304)
      #expect(r.status == .ok)
      let byDate = try await fetchOnce(
        server.url("/etag"), request: { FetchRequest(url: $0, lastModified: lastModified) })
      #expect(byDate.httpStatus == 304)
      let log = server.requestLog
      #expect(log[1].header("If-None-Match") == etag)
      #expect(log[2].header("If-Modified-Since") == lastModified)
    }

    @Test func bodyLargerThanTheCapIsTruncatedAndStillReachable() async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      let r = try await fetchOnce(server.url("/big/3000000")) { $0.maxBodyMB = 1 }
      #expect(r.status == .ok)
      let ex = try #require(r.exchange)
      #expect(ex.truncated)
      #expect(ex.body.count == 1 << 20)
      let small = try await fetchOnce(server.url("/big/1000")) { $0.maxBodyMB = 1 }
      #expect(small.exchange?.truncated == false)
      #expect(small.exchange?.body.count == 1000)
    }
  }
}
