import Foundation
import SourcekeepCore
import SourcekeepTestSupport
import Testing

/// `ingest now`, `check now`, `report` in every format, `search` and `verify` through the
/// binary, against the loopback fixture site.
@Suite struct CheckAndReportCLITests {
  @Test func aFullCycleThroughTheBinary() throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let site = try FixtureSite()
    site.serve(on: server)
    let tmp = TempDirectory(prefix: "sk-cycle")
    let dir = tmp.path
    defer { withExtendedLifetime(tmp) {} }
    try FileManager.default.createDirectory(atPath: dir + "/digests", withIntermediateDirectories: true)
    try FixtureSite.digest(base: String(server.url("/").dropLast())).write(
      toFile: dir + "/digests/2026-03-09.md", atomically: true, encoding: .utf8)
    try LoopbackConfig.toml().write(toFile: dir + "/sk.toml", atomically: true, encoding: .utf8)
    let run = CommandRunner(workingDirectory: dir)
    let ingest = try run.run(["ingest", "now", "--config", "sk.toml"])
    #expect(ingest.status == 0, "\(ingest.stderr)")
    #expect(ingest.stdout.contains("capture: \(site.pages.count) link(s)"))
    // Piped output: one plain line per link.
    #expect(ingest.stdout.contains("soft-404/deleted"))

    let check = try run.run(["check", "now", "--all", "--config", "sk.toml"])
    #expect(check.status == 0, "\(check.stderr)")
    #expect(check.stdout.contains("\(site.pages.count) of \(site.pages.count) link(s) checked"))
    let article = try site.page("wechat-yunque7-chenxing.html")
    let one = try run.run(["check", "now", "--url", server.url(article.url + "#frag"), "--config", "sk.toml"])
    #expect(one.stdout.contains("1 of 1 link(s) checked"))
    // The article was revisited by `--all` a moment ago: the same bytes again add only the check
    // row (docs/design.md#revisits-on-re-check), and both outputs say so.
    #expect(one.stdout.contains("revisits 0 · same payload 1 ·"), "\(one.stdout)")
    let again = try run.run(["check", "now", "--url", server.url(article.url), "--json", "--config", "sk.toml"])
    let lines = again.stdout.split(separator: "\n").compactMap { JSONValue.parse(String($0)) }
    let link = try #require(lines.first { $0["type"] == "link" })
    #expect(link["record"] == .null && link["status"] == "ok", "\(again.stdout)")
    let summary = try #require(lines.first { $0["type"] == "summary" })
    #expect(summary["same_payload"] == 1 && summary["revisits"] == 0, "\(again.stdout)")
    let unknown = try run.run(["check", "now", "--url", "https://example.com/none", "--config", "sk.toml"])
    #expect(unknown.status == 64)

    for format in ["text", "markdown", "csv", "html", "json"] {
      let report = try run.run(["report", "--format", format, "--config", "sk.toml"])
      #expect(report.status == 0, "\(format): \(report.stderr)")
      #expect(report.stdout.contains(try site.page("wechat-deleted.html").url), "\(format) lists the deleted article")
    }
    let json = try #require(JSONValue.parse(try run.run(["report", "--format", "json", "--config", "sk.toml"]).stdout))
    for status in ["ok", "soft-404", "blocked"] {
      let expected = site.pages.filter { $0.classification == status }.count
      #expect(json["summary"]?["by_status"]?[status] == .int(Int64(expected)), "\(status)")
    }
    let digestView = try run.run(["report", "--format", "markdown", "--digest", "2026-03-09", "--config", "sk.toml"])
    #expect(digestView.stdout.contains("来源"))

    let search = try run.run(["search", "云雀", "--config", "sk.toml"])
    #expect(search.status == 0)
    #expect(search.stdout.contains("/s/"))
    let verify = try run.run(["verify", "--config", "sk.toml"])
    #expect(verify.status == 0, "\(verify.stderr)")
    #expect(verify.stdout.contains(": ok"))
  }
}
