import Foundation
import SourcekeepCore
import SourcekeepTestSupport
import Testing

/// Ctrl-C and SIGTERM during `ingest now` / `check now` (docs/design.md#interrupting-a-run, a
/// contract): per-link lines and the summary reach a pipe, `run.finish` is journaled with
/// `"interrupted": true`, and the exit code is 130 or 143.
@Suite struct InterruptCLITests {
  /// A store whose digest cites `count` links served by `path(i)`.
  func store(
    _ server: FixtureServer, count: Int, inFlight: Int = 2, path: (Int) -> String
  ) throws -> TempDirectory {
    let dir = TempDirectory(prefix: "sk-int")
    var digest = "# 中断测试 2026年02月17日\n\n## 链接\n> **来源：** "
    digest += (0..<count).map { "[p\($0)](\(server.url(path($0))))" }.joined(separator: " 、 ")
    dir.write("digests/2026-02-17.md", digest + "\n")
    dir.write(
      "sourcekeep.toml", LoopbackConfig.toml(fetch: "concurrency = \(inFlight)\nper_host_concurrency = \(inFlight)"))
    return dir
  }

  /// Starts `sourcekeep ARGS` with stdout and stderr going to files (a pipe, not a terminal).
  func start(_ arguments: [String], in dir: TempDirectory) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try CommandRunner.requireBinary())
    process.arguments = arguments + ["--config", dir.file("sourcekeep.toml")]
    process.currentDirectoryURL = URL(fileURLWithPath: dir.path)
    for name in ["out", "err"] { _ = FileManager.default.createFile(atPath: dir.file(name), contents: nil) }
    process.standardOutput = FileHandle(forWritingAtPath: dir.file("out"))
    process.standardError = FileHandle(forWritingAtPath: dir.file("err"))
    try process.run()
    return process
  }

  func text(_ dir: TempDirectory, _ name: String) -> String {
    (try? String(contentsOfFile: dir.file(name), encoding: .utf8)) ?? ""
  }

  /// Waits (up to a minute) until stdout holds `lines` per-link lines, so the signal lands mid-run.
  func waitForLinkLines(_ dir: TempDirectory, _ lines: Int) {
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
      let done = text(dir, "out").split(separator: "\n").filter { $0.contains("http://127.0.0.1") }.count
      if done >= lines { return }
      Thread.sleep(forTimeInterval: 0.05)
    }
  }

  func runFinish(_ dir: TempDirectory) throws -> [String: Any]? {
    let folder = dir.file("data/journal")
    for file in try FileManager.default.contentsOfDirectory(atPath: folder).sorted().reversed() {
      let lines = try String(contentsOfFile: folder + "/" + file, encoding: .utf8).split(separator: "\n")
      for line in lines.reversed() {
        if let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
          object["event"] as? String == "run.finish"
        {
          return object
        }
      }
    }
    return nil
  }

  @Test func ctrlCStopsTakingLinksPrintsEveryLineAndTheSummaryAndExits130() throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let dir = try store(server, count: 40) { "/delay/300?i=\($0)" }
    let process = try start(["ingest", "now"], in: dir)
    waitForLinkLines(dir, 2)
    kill(process.processIdentifier, SIGINT)
    process.waitUntilExit()
    let out = text(dir, "out")
    #expect(process.terminationReason == .exit && process.terminationStatus == 130, "\(out)\(text(dir, "err"))")
    let linkLines = out.split(separator: "\n").filter { $0.hasPrefix("ok ") }
    #expect(linkLines.count >= 2 && linkLines.count < 40, "\(out)")
    #expect(out.contains("ingest: 1 digest(s) read"), "the summary is printed: \(out)")
    #expect(out.contains("stopped early") && out.contains("interrupted by SIGINT"), "\(out)")
    #expect(text(dir, "err").contains("SIGINT: stopping"))
    let finish = try #require(try runFinish(dir))
    #expect(finish["interrupted"] as? Bool == true, "\(finish)")
    #expect((finish["captured"] as? Int ?? 0) == linkLines.count, "\(finish)")
    // Every link reported captured is in the catalog.
    let catalog = try Catalog.openForReading(path: dir.file("data/catalog.sqlite"))
    #expect(try catalog.allSnapshots().count == linkLines.count)
  }

  @Test func sigtermDuringCheckExits143WithTheSummary() throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let dir = try store(server, count: 30) { "/delay/250?i=\($0)" }
    let ingest = try CommandRunner(workingDirectory: dir.path).run(["ingest", "now", "--config", "sourcekeep.toml"])
    #expect(ingest.status == 0, "\(ingest.stderr)")
    let process = try start(["check", "now", "--all"], in: dir)
    waitForLinkLines(dir, 2)
    kill(process.processIdentifier, SIGTERM)
    process.waitUntilExit()
    let out = text(dir, "out")
    #expect(process.terminationStatus == 143, "\(out)\(text(dir, "err"))")
    #expect(out.contains("check: ") && out.contains("interrupted by SIGTERM"), "\(out)")
    let finish = try #require(try runFinish(dir))
    #expect(finish["command"] as? String == "check" && finish["interrupted"] as? Bool == true, "\(finish)")
  }

  @Test func transfersThatOutlastTheGracePeriodAreAbandonedWithASummary() throws {
    let server = try FixtureServer()
    defer { server.stop() }
    // Two links that finish at once, then slow drips (a byte a second for a minute) that
    // cannot end within the 10 s grace period. All six are in flight together: with two slots,
    // a loaded machine could hand a slot to a drip before the second quick link started.
    let dir = try store(server, count: 6, inFlight: 6) { $0 < 2 ? "/ok?i=\($0)" : "/drip/60?i=\($0)" }
    let process = try start(["ingest", "now"], in: dir)
    waitForLinkLines(dir, 2)
    let signalled = Date()
    kill(process.processIdentifier, SIGINT)
    process.waitUntilExit()
    let waited = Date().timeIntervalSince(signalled)
    let out = text(dir, "out")
    #expect(process.terminationStatus == 130, "\(out)\(text(dir, "err"))")
    #expect(waited < 40, "the run was abandoned, not waited for (\(waited) s)")
    #expect(out.contains("interrupted by SIGINT") && out.contains("had not finished after 10 s"), "\(out)")
    #expect(out.split(separator: "\n").filter { $0.hasPrefix("ok ") }.count == 2, "\(out)")
    let finish = try #require(try runFinish(dir))
    #expect(finish["interrupted"] as? Bool == true && finish["abandoned"] as? Bool == true, "\(finish)")
    #expect(finish["done"] as? Int == 2, "\(finish)")
  }

  @Test func aSecondCtrlCAbandonsAtOnce() throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let dir = try store(server, count: 4) { $0 < 1 ? "/ok?i=\($0)" : "/drip/60?i=\($0)" }
    let process = try start(["ingest", "now"], in: dir)
    waitForLinkLines(dir, 1)
    kill(process.processIdentifier, SIGINT)
    Thread.sleep(forTimeInterval: 0.5)
    kill(process.processIdentifier, SIGINT)
    process.waitUntilExit()
    let out = text(dir, "out")
    #expect(process.terminationStatus == 130, "\(out)\(text(dir, "err"))")
    #expect(out.contains("abandoned: stopped at once on a second signal"), "\(out)")
    let finish = try #require(try runFinish(dir))
    #expect(finish["abandoned"] as? Bool == true, "\(finish)")
  }

  /// `timeout -s INT` signals the child and then its process group: one stop, delivered twice
  /// at once, must not count as the user insisting.
  @Test func aSignalEchoedToTheProcessGroupIsOneStop() throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let dir = try store(server, count: 30) { "/delay/300?i=\($0)" }
    let process = try start(["ingest", "now"], in: dir)
    waitForLinkLines(dir, 2)
    kill(process.processIdentifier, SIGINT)
    kill(process.processIdentifier, SIGINT)
    process.waitUntilExit()
    let out = text(dir, "out")
    #expect(process.terminationStatus == 130, "\(out)")
    #expect(out.contains("stopped early") && !out.contains("abandoned"), "\(out)")
  }
}
