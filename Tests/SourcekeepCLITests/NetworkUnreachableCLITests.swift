import Foundation
import SourcekeepTestSupport
import Testing

/// An offline machine: every fetch fails before reaching a server, and the run says so in one
/// line (what `make run` shows without Internet access) instead of leaving it to be guessed.
@Suite struct NetworkUnreachableCLITests {
  static let line = "the network looks unreachable"

  func store(citing urls: [String]) throws -> CommandRunner {
    let dir = NSTemporaryDirectory() + "sk-offline-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir + "/digests", withIntermediateDirectories: true)
    let sources = urls.enumerated().map { "[site \($0.offset)](\($0.element))" }.joined(separator: " 、 ")
    try "# 2026-02-17\n\n## 一条新闻\n> **来源：** \(sources)\n".write(
      toFile: dir + "/digests/2026-02-17.md", atomically: true, encoding: .utf8)
    try LoopbackConfig.toml().write(toFile: dir + "/sk.toml", atomically: true, encoding: .utf8)
    return CommandRunner(workingDirectory: dir)
  }

  @Test func aRunWhoseEveryFetchFailsOnDNSSaysTheNetworkIsUnreachableOnce() throws {
    let run = try store(citing: [UnresolvableHost.url("/a"), UnresolvableHost.url("/b")])
    let ingest = try run.run(["ingest", "now", "--config", "sk.toml"])
    #expect(ingest.status == 0, "\(ingest.stderr)")
    #expect(ingest.stdout.contains("unreachable/dns"))
    #expect(ingest.stderr.components(separatedBy: Self.line).count == 2, "\(ingest.stderr)")
    #expect(ingest.stderr.contains("all 2 fetch(es)"))
    let report = try run.run(["report", "--config", "sk.toml"])
    #expect(report.stdout.contains("failing"), "\(report.stdout)")
  }

  @Test func oneReachableServerMeansTheNetworkIsUp() throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let run = try store(citing: [UnresolvableHost.url("/a"), server.url("/status/404")])
    let ingest = try run.run(["ingest", "now", "--config", "sk.toml"])
    #expect(ingest.status == 0, "\(ingest.stderr)")
    #expect(!ingest.stderr.contains(Self.line), "\(ingest.stderr)")
  }
}
