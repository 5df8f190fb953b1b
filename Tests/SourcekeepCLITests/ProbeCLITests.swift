import Foundation
import SourcekeepCore
import SourcekeepTestSupport
import Testing

/// `sourcekeep probe` on the loopback fixture site: the probe contract JSON, with the page
/// classifier's verdict.
@Suite struct ProbeCLITests {
  let tmp = TempDirectory(prefix: "sk-probe")
  var dir: String { tmp.path }
  let server: FixtureServer
  let site: FixtureSite

  init() throws {
    let dir = tmp.path
    try "[fetch]\nallow_private_networks = true\nretries = 0\n".write(
      toFile: dir + "/open.toml", atomically: true, encoding: .utf8)
    try "[fetch]\nretries = 0\n".write(toFile: dir + "/strict.toml", atomically: true, encoding: .utf8)
    server = try FixtureServer()
    site = try FixtureSite()
    site.serve(on: server)
  }

  func probe(_ path: String, config: String = "open.toml") throws -> (CommandRunner.Result, JSONValue?) {
    let result = try CommandRunner(workingDirectory: dir).run(["probe", server.url(path), "--json", "--config", config])
    return (result, JSONValue.parse(result.stdout))
  }

  @Test func anAddressWithoutASchemeGetsASuggestionNotAPolicyVerdict() throws {
    let run = CommandRunner(workingDirectory: NSTemporaryDirectory())
    for typed in ["127.0.0.2:8000/x", "example.com/article"] {
      let result = try run.run(["probe", typed])
      #expect(result.status == 64, "\(result.stdout)")
      #expect(result.stderr.contains("did you mean http://\(typed)"), "\(result.stderr)")
    }
    // A URL with another scheme is a policy verdict, as before.
    let mail = try run.run(["probe", "mailto:someone@example.com"])
    #expect(mail.stdout.contains("excluded/scheme"), "\(mail.stdout)\(mail.stderr)")
  }

  @Test func aDeletedWeChatArticleIsSoft404WithEvidence() throws {
    defer { server.stop() }
    let (result, json) = try probe(try site.page("wechat-deleted.html").url)
    #expect(result.status == 0)
    #expect(json?["status"] == "soft-404")
    #expect(json?["reason"] == "deleted")
    #expect(json?["http_status"] == 200)
    #expect(json?["soft404"]?["reason"] == "deleted")
    #expect(json?["soft404"]?["evidence"]?.stringValue?.isEmpty == false)
    for key in ["url", "final_url", "hops", "content_type", "bytes", "elapsed_ms", "title"] {
      #expect(json?[key] != nil, "probe JSON lacks \(key)")
    }
  }

  @Test func theVerificationWallIsBlockedAfterARedirect() throws {
    defer { server.stop() }
    let (_, json) = try probe(try #require(try site.page("wechat-verify.html").citedURL))
    #expect(json?["status"] == "blocked")
    guard case .array(let hops)? = json?["hops"] else {
      Issue.record("no hops")
      return
    }
    #expect(hops.count == 2)
    #expect(hops.first?["http_status"] == 302)
    #expect(json?["final_url"]?.stringValue?.contains("/mp/wappoc_appmsgcaptcha") == true)
  }

  @Test func anArticleIsOkWithItsTitle() throws {
    defer { server.stop() }
    let (_, json) = try probe(try site.page("wechat-yunque7-chenxing.html").url)
    #expect(json?["status"] == "ok")
    #expect(json?["soft404"] == .null)
    #expect(json?["title"]?.stringValue?.isEmpty == false)
  }

  @Test func loopbackIsRefusedByDefaultWithoutConnecting() throws {
    defer { server.stop() }
    let (result, json) = try probe(try site.page("wechat-yunque7-chenxing.html").url, config: "strict.toml")
    #expect(result.status == 0)
    #expect(json?["status"] == "excluded")
    #expect(json?["reason"] == "private-network")
    #expect(server.connectionCount == 0)
  }
}
