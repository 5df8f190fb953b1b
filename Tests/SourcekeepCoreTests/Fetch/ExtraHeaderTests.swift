import SourcekeepCore
import SourcekeepTestSupport
import Testing

/// `FetchRequest.extraHeaders` and `maxBodyBytes` (a page requisite's Referer, image Accept and
/// body cap): sent on the wire, replacing a default of the same name, never a control character.
struct ExtraHeaderTests {
  func fetcher() throws -> Fetcher {
    var config = Config()
    var c = config.fetch
    c.allowPrivateNetworks = true
    c.perHostIntervalMs = 0
    c.retries = 0
    c.timeoutS = 5
    config.fetch = c
    return try Fetcher(config: config.fetch)
  }

  @Test func extraHeadersAreSentAndReplaceTheDefaultAccept() async throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let f = try fetcher()
    let request = FetchRequest(
      url: server.url("/ok?h"),
      extraHeaders: [RequestHeader("Referer", "https://mp.weixin.qq.com/s/abc"), RequestHeader("Accept", "image/*")])
    let result = await f.fetch(request)
    await f.shutdown()
    #expect(result.status == .ok)
    let logged = try #require(server.requestLog.first { $0.target == "/ok?h" })
    #expect(logged.header("Referer") == "https://mp.weixin.qq.com/s/abc")
    #expect(logged.headers.filter { $0.name.lowercased() == "accept" }.map(\.value) == ["image/*"])
  }

  @Test func aHeaderWithCRLFOrNULIsNeverSent() async throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let f = try fetcher()
    let request = FetchRequest(
      url: server.url("/ok?inject"),
      extraHeaders: [
        RequestHeader("Referer", "https://a.example/\r\nX-Injected: 1"), RequestHeader("X-Nul", "a\u{0}b"),
        RequestHeader("Bad Name", "v"), RequestHeader("X-Fine", "yes"),
      ])
    _ = await f.fetch(request)
    await f.shutdown()
    let logged = try #require(server.requestLog.first { $0.target == "/ok?inject" })
    #expect(logged.header("X-Injected") == nil && logged.header("Referer") == nil && logged.header("X-Nul") == nil)
    #expect(logged.header("X-Fine") == "yes")
  }

  @Test func aPerRequestBodyCapTruncatesBelowTheFetchCap() async throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let f = try fetcher()
    let capped = await f.fetch(FetchRequest(url: server.url("/big/200000"), maxBodyBytes: 50_000))
    let whole = await f.fetch(FetchRequest(url: server.url("/big/200000")))
    await f.shutdown()
    #expect(capped.exchange?.truncated == true)
    #expect((capped.exchange?.body.count ?? 0) <= 50_000)
    #expect(whole.exchange?.truncated == false && whole.exchange?.body.count == 200_000)
  }
}
