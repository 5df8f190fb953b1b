import Foundation
import Testing
import SourcekeepTestSupport
import SourcekeepCore

/// `sourcekeep probe` on the loopback fixture site: the probe contract JSON, with the page
/// classifier's verdict.
@Suite struct ProbeCLITests {
  let dir: String
  let server: FixtureServer

  init() throws {
    dir = NSTemporaryDirectory() + "sk-probe-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try "[fetch]\nallow_private_networks = true\nretries = 0\n".write(
      toFile: dir + "/open.toml", atomically: true, encoding: .utf8)
    try "[fetch]\nretries = 0\n".write(toFile: dir + "/strict.toml", atomically: true, encoding: .utf8)
    server = try FixtureServer()
    try FixtureSite().serve(on: server)
  }

  func probe(_ path: String, config: String = "open.toml") throws -> (CommandRunner.Result, JSONValue?) {
    let result = try CommandRunner(workingDirectory: dir).run(["probe", server.url(path), "--json", "--config", config])
    return (result, JSONValue.parse(result.stdout))
  }

  @Test func aDeletedWeChatArticleIsSoft404WithEvidence() throws {
    defer { server.stop() }
    let (result, json) = try probe("/s/AZI8tjd2TqR7uWwOK6ts7w")
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
    let (_, json) = try probe("/s/aV_-UKE1FAZKp9nI8-xnHA")
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
    let (_, json) = try probe("/s/O-bvK51Hgt9eLQsPrKz5ow")
    #expect(json?["status"] == "ok")
    #expect(json?["soft404"] == .null)
    #expect(json?["title"]?.stringValue?.isEmpty == false)
  }

  @Test func loopbackIsRefusedByDefaultWithoutConnecting() throws {
    defer { server.stop() }
    let (result, json) = try probe("/s/O-bvK51Hgt9eLQsPrKz5ow", config: "strict.toml")
    #expect(result.status == 0)
    #expect(json?["status"] == "excluded")
    #expect(json?["reason"] == "private-network")
    #expect(server.connectionCount == 0)
  }
}
