import Foundation
import SourcekeepCore
import SourcekeepTestSupport
import Synchronization
import Testing

/// `ingest now` killed with SIGKILL at random moments, then run to completion: nothing
/// reported captured is lost, every file stays valid (docs/design.md#durability-order).
@Suite struct CrashSafetyTests {
  /// Kills a pid once, unless the process was already reaped (so a reused pid is never hit).
  final class KillSwitch: Sendable {
    private let state = Mutex((fired: false, reaped: false))
    func fire(_ pid: Int32) {
      state.withLock { if !$0.reaped && kill(pid, SIGKILL) == 0 { $0.fired = true } }
    }
    func markReaped() { state.withLock { $0.reaped = true } }
    var value: Bool { state.withLock { $0.fired } }
  }

  /// Plain pages, then articles with four images each (requisites in flight when killed).
  @Test(arguments: [false, true])
  func killingIngestAtRandomMomentsLosesNothingAndCorruptsNothing(withRequisites: Bool) async throws {
    // Three loopback hosts, 250 ms per page: about six seconds of work in all, so five kills
    // within the first second of each run always land mid-run, even on a loaded machine.
    let server = try FixtureServer(addresses: ["127.0.0.1", "127.0.0.2", "127.0.0.3"])
    defer { server.stop() }
    let tmp = TempDirectory(prefix: "sk-crash")
    let dir = tmp.path
    defer { withExtendedLifetime(tmp) {} }
    try FileManager.default.createDirectory(atPath: dir + "/digests", withIntermediateDirectories: true)
    var digest = "# 崩溃测试 2026年02月17日\n\n## 三百个链接\n> **来源：** "
    func page(_ i: Int) -> String { withRequisites ? "/article/250/4/p\(i)" : "/delay/250?i=\(i)" }
    digest += (0..<300).map { "[p\($0)](\(server.url(page($0), host: $0 % 3)))" }.joined(separator: " 、 ")
    try (digest + "\n").write(toFile: dir + "/digests/2026-02-17.md", atomically: true, encoding: .utf8)
    try LoopbackConfig.toml(fetch: "concurrency = 12\nper_host_concurrency = 4", requisites: withRequisites).write(
      toFile: dir + "/sourcekeep.toml", atomically: true, encoding: .utf8)

    var generator = SystemRandomNumberGenerator()
    var kills = 0
    var exits: [String] = []
    for _ in 0..<5 {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: try CommandRunner.requireBinary())
      process.arguments = ["ingest", "now", "--config", dir + "/sourcekeep.toml"]
      let errors = dir + "/stderr-\(kills).txt"
      _ = FileManager.default.createFile(atPath: errors, contents: nil)
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle(forWritingAtPath: errors)
      try process.run()
      // The kill is timed on a Dispatch thread, not with Task.sleep: other tests block the
      // two cooperative threads of this machine, which would stretch a sleep by seconds.
      let delay = Int.random(in: 300...1000, using: &generator)
      let pid = process.processIdentifier
      let killed = KillSwitch()
      DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(delay)) {
        killed.fire(pid)
      }
      process.waitUntilExit()
      killed.markReaped()
      if process.terminationReason == .uncaughtSignal && killed.value { kills += 1 }
      if process.terminationReason == .exit {
        exits.append(
          "exit \(process.terminationStatus): " + ((try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""))
      }
    }
    #expect(kills >= 3, "the runs were too fast to be interrupted; the test proves nothing: \(exits)")

    let runner = CommandRunner(workingDirectory: dir)
    let final = try runner.run(["ingest", "now", "--config", "sourcekeep.toml"])
    #expect(final.status == 0, "\(final.stderr)")
    let verify = try runner.run(["verify", "--config", "sourcekeep.toml"])
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")

    let catalog = try Catalog(path: dir + "/data/catalog.sqlite")
    let snapshots = try catalog.allSnapshots()
    #expect(try catalog.totals().links == 300)
    #expect(Set(snapshots.map(\.linkID)).count == 300, "every link captured")
    #expect(snapshots.count == 300, "exactly one capture per link in the catalog")
    let warcDir = dir + "/data/warc"
    for file in WARCWriter.files(in: warcDir) {
      let check = try ExternalTool.run("warcio", ["check", warcDir + "/" + file])
      #expect(check.status == 0, "warcio check \(file): \(check.output)")
    }
    // Every capture the journal reported (from any run, killed or not) is still in the catalog.
    let reported = JournalReader(directory: dir + "/data/journal").lines()
      .filter { $0.event == "capture" && $0.value?["warc_file"] != nil }
      .compactMap { $0.value?["url"]?.stringValue }
    let captured = Set(snapshots.map(\.url))
    #expect(Set(reported).isSubset(of: captured))
    if withRequisites {
      // Every capture has its four images, archived (verify above read each record).
      for s in snapshots {
        let requisites = try catalog.requisites(forSnapshot: s.id)
        #expect(requisites.count == 4 && requisites.allSatisfy { $0.status == .archived }, "\(s.url)")
      }
    }
  }
}
