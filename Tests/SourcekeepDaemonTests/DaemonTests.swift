import Foundation
import SourcekeepApp
import SourcekeepCore
import SourcekeepDaemon
import SourcekeepTestSupport
import Synchronization
import Testing

/// `sourcekeep run` as a subprocess, the way systemd runs it: a test-owned NOTIFY_SOCKET,
/// the loopback fixture server, real signals, the real CLI talking to it.
///
/// Waits are blocking polls with generous timeouts (the machine is shared and noisy).
@Suite struct DaemonTests {
  @Test func daemonIsReadyCapturesADroppedDigestAndServesTheCLIOverItsSocket() throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let site = try FixtureSite()
    site.serve(on: server)
    let h = try DaemonHarness()
    defer { h.cleanUp() }
    let daemon = try h.start()
    #expect(
      DaemonHarness.wait(timeout: 60) { h.notify.count("READY=1") >= 1 }, "READY=1 never arrived: \(h.daemonStderr)")
    let socket = h.store + "/control.sock"
    let mode = (try FileManager.default.attributesOfItem(atPath: socket)[.posixPermissions] as? NSNumber)?.intValue
    #expect(mode == 0o600)

    // A digest dropped into the watched folder, after the start-up ingest found nothing, is
    // read and its links captured, unasked (the next timer tick is 15 minutes away).
    #expect(DaemonHarness.wait(timeout: 60) { h.events("run.finish").contains { $0["digests"]?.intValue == 0 } })
    let base = String(server.url("/").dropLast())
    try FixtureSite.digest(base: base).write(toFile: h.digests + "/2026-02-17.md", atomically: true, encoding: .utf8)
    let captured = DaemonHarness.wait(timeout: 60) {
      h.events("run.finish").contains { $0["command"]?.stringValue == "ingest" && $0["digests"]?.intValue == 1 }
    }
    #expect(captured, "the dropped digest was not ingested within 60 s: \(h.daemonStderr)")
    let catalog = try Catalog(path: h.store + "/catalog.sqlite")
    #expect(try catalog.totals().links >= site.pages.count)
    let archived = Set(h.events("capture").filter { $0["warc_file"] != nil }.compactMap { $0["url"]?.stringValue })
    #expect(archived.count >= 3, "the fixture's live articles are archived")
    #expect(Set(try catalog.allSnapshots().map(\.url)) == archived, "every journaled capture is in the catalog")

    // `ingest now` goes through the socket: the daemon journals that it served it.
    let ingest = try h.cli(["ingest", "now"])
    #expect(ingest.status == 0, "\(ingest.stderr)")
    #expect(ingest.stdout.contains("ingest: 1 digest(s) read (0 new, 0 updated, 1 unchanged)"), "\(ingest.stdout)")
    #expect(ingest.stdout.contains("capture: "))
    let served = h.events("control.request")
    #expect(
      served.contains {
        $0["command"]?.stringValue == "ingest" && $0["pid"]?.intValue == Int64(daemon.processIdentifier)
      })

    // `--digest FILE` travels as an absolute path and is read by the daemon.
    let one = try h.cli(["ingest", "now", "--digest", "digests/2026-02-17.md", "--no-capture"])
    #expect(one.status == 0, "\(one.stderr)")
    #expect(one.stdout.contains("capture: skipped (--no-capture)"))
    #expect(h.events("control.request").filter { $0["command"]?.stringValue == "ingest" }.count == 2)
    #expect(h.notify.messages.contains { $0.text.hasPrefix("STATUS=idle · next ingest ") })
    #expect(h.notify.messages.contains { $0.text.hasPrefix("STATUS=ingesting") })

    // `status` asks the daemon too.
    let status = try h.cli(["status"])
    #expect(status.status == 0)
    #expect(status.stdout.contains("daemon    running · pid \(daemon.processIdentifier)"), "\(status.stdout)")
    let json = try h.cli(["status", "--json"])
    let value = JSONValue.parse(json.stdout)
    #expect(value?["daemon"]?["running"] == .bool(true))
    #expect(value?["daemon"]?["pid"]?.intValue == Int64(daemon.processIdentifier))
    #expect(value?["daemon"]?["activity"] != nil)
    #expect(h.events("control.request").contains { $0["command"]?.stringValue == "status" })

    // `check now --url` through the daemon: the same exit code as in-process for an unknown URL.
    let unknown = try h.cli(["check", "now", "--url", "https://nowhere.invalid/x"])
    #expect(unknown.status == 64, "\(unknown.stdout)\(unknown.stderr)")
    #expect(unknown.stderr.contains("no such link in the catalog"))

    // A second daemon on the same store refuses with 75.
    let second = try h.cli(["run"])
    #expect(second.status == 75, "\(second.stderr)")
    #expect(second.stderr.contains("held by process \(daemon.processIdentifier)"))

    // SIGTERM: a clean stop, journaled, socket removed, STOPPING=1 sent.
    let stopped = h.signal(SIGTERM)
    #expect(stopped?.status == 0)
    #expect(h.events("daemon.stop").count == 1)
    #expect(DaemonHarness.wait(timeout: 5) { h.notify.count("STOPPING=1") == 1 })
    #expect(!FileManager.default.fileExists(atPath: socket))
    #expect(h.daemonStderr.contains("<6>sourcekeep: started"), "journald priority prefixes: \(h.daemonStderr)")
  }

  @Test func sighupWithABrokenConfigKeepsTheOldOneAndAStaleSocketIsReplaced() throws {
    let h = try DaemonHarness()
    defer { h.cleanUp() }
    let first = try h.start()
    #expect(DaemonHarness.wait(timeout: 60) { h.notify.count("READY=1") >= 1 }, "\(h.daemonStderr)")

    // A broken config is rejected: error event, config.reload ok=false, the daemon lives on.
    try "[fetch]\nconcurrency = \"many\"\n".write(toFile: h.configPath, atomically: true, encoding: .utf8)
    let hup = Date()
    kill(first.processIdentifier, SIGHUP)
    #expect(DaemonHarness.wait(timeout: 30) { !h.events("config.reload").isEmpty })
    #expect(h.events("config.reload").first?["ok"] == .bool(false))
    #expect(h.events("error").contains { $0["message"]?.stringValue?.contains("concurrency") == true })
    #expect(
      DaemonHarness.wait(timeout: 10) {
        h.notify.count("RELOADING=1", after: hup) == 1 && h.notify.count("READY=1", after: hup) == 1
      })
    #expect(first.isRunning)

    // The old config is still in force: the store it names still answers through the daemon.
    try h.writeConfig("[schedule]\ningest_every = \"2h\"")
    let status = try h.cli(["status", "--json"])
    #expect(JSONValue.parse(status.stdout)?["daemon"]?["running"] == .bool(true), "\(status.stderr)")

    // A good config is taken.
    kill(first.processIdentifier, SIGHUP)
    #expect(DaemonHarness.wait(timeout: 30) { h.events("config.reload").count == 2 })
    #expect(h.events("config.reload").last?["ok"] == .bool(true))

    // `reload` over the control socket answers with the outcome.
    let fd = try #require(ControlClient.connect(h.store + "/control.sock"))
    let answer = ControlClient.exchange(fd: fd, ControlRequest(command: .reload)) { _ in }
    #expect(answer?.type == .result && answer?.exit == 0, "\(String(describing: answer))")
    #expect(h.events("config.reload").count == 3)

    // A crashed daemon leaves its socket behind: the CLI runs in-process, a new daemon replaces it.
    kill(first.processIdentifier, SIGKILL)
    first.waitUntilExit()
    #expect(FileManager.default.fileExists(atPath: h.store + "/control.sock"))
    #expect(try h.cli(["status"]).stdout.contains("daemon    not running"))
    let ingest = try h.cli(["ingest", "now"])
    #expect(ingest.status == 0, "\(ingest.stderr)")
    #expect(!h.events("control.request").contains { $0["command"]?.stringValue == "ingest" })
    let before = h.notify.count("READY=1")
    let second = try h.start()
    #expect(DaemonHarness.wait(timeout: 60) { h.notify.count("READY=1") > before }, "\(h.daemonStderr)")
    #expect(h.events("daemon.start").last?["stale_socket_replaced"] == .bool(true))
    #expect(try h.cli(["status"]).stdout.contains("pid \(second.processIdentifier)"))
    #expect(h.signal(SIGTERM)?.status == 0)
  }

  @Test func sigtermDuringALargeCheckExitsZeroWithinTenSecondsAndVerifyPasses() throws {
    // 200 links at 400 ms each, 8 at a time: a check of about ten seconds.
    let server = try FixtureServer(addresses: ["127.0.0.1", "127.0.0.2"])
    defer { server.stop() }
    let h = try DaemonHarness(config: "concurrency = 8\nper_host_concurrency = 4")
    defer { h.cleanUp() }
    var digest = "# 停止测试 2026年02月17日\n\n## 两百个链接\n> **来源：** "
    digest += (0..<200).map { "[p\($0)](\(server.url("/delay/400?i=\($0)", host: $0 % 2)))" }.joined(separator: " 、 ")
    try (digest + "\n").write(toFile: h.digests + "/2026-02-17.md", atomically: true, encoding: .utf8)
    let register = try h.cli(["ingest", "now", "--no-capture"])
    #expect(register.status == 0, "\(register.stderr)")

    try h.start()
    #expect(DaemonHarness.wait(timeout: 60) { h.notify.count("READY=1") >= 1 }, "\(h.daemonStderr)")
    // The start-up ingest captures the 200 links first; wait for it, then ask for a check.
    #expect(
      DaemonHarness.wait(timeout: 120) {
        h.events("run.finish").contains { $0["command"]?.stringValue == "ingest" && $0["captured"] != nil }
      })
    let client = Process()
    client.executableURL = URL(fileURLWithPath: CommandRunner.binary)
    client.arguments = ["check", "now", "--all", "--config", h.configPath]
    let clientOut = h.dir + "/check-stdout.txt"
    _ = FileManager.default.createFile(atPath: clientOut, contents: nil)
    client.standardOutput = FileHandle(forWritingAtPath: clientOut)
    client.standardError = FileHandle.nullDevice
    try client.run()
    #expect(DaemonHarness.wait(timeout: 60) { h.events("check").count >= 10 }, "the check never got going")

    // Two `ingest now` during the check: runs never overlap, so both wait in the queue; SIGTERM
    // then turns them away with 75 (they never started, nothing to finish).
    let waiting = (0..<2).map { i -> (Process, String) in
      let p = Process()
      p.executableURL = URL(fileURLWithPath: CommandRunner.binary)
      p.arguments = ["ingest", "now", "--config", h.configPath]
      let err = h.dir + "/queued-\(i).txt"
      _ = FileManager.default.createFile(atPath: err, contents: nil)
      p.standardOutput = FileHandle.nullDevice
      p.standardError = FileHandle(forWritingAtPath: err)
      return (p, err)
    }
    for (p, _) in waiting { try p.run() }
    let queuedBoth = DaemonHarness.wait(timeout: 30) {
      waiting.allSatisfy { ((try? String(contentsOfFile: $0.1, encoding: .utf8)) ?? "").contains("queued") }
    }
    #expect(queuedBoth, "both ingest requests wait behind the check")

    let stopped = h.signal(SIGTERM, timeout: 15)
    #expect(stopped?.status == 0)
    #expect((stopped?.seconds ?? 99) < 10, "took \(stopped?.seconds ?? -1) s")
    #expect(h.events("check").count < 200, "SIGTERM landed after the check: the test proves nothing")
    #expect(h.events("daemon.stop").count == 1)
    client.waitUntilExit()
    let printed = (try? String(contentsOfFile: clientOut, encoding: .utf8)) ?? ""
    #expect(client.terminationStatus == 0)
    #expect(printed.contains("stopped early"), "\(printed)")
    for (p, err) in waiting {
      p.waitUntilExit()
      #expect(p.terminationStatus == 75)
      #expect(((try? String(contentsOfFile: err, encoding: .utf8)) ?? "").contains("stopped before this run started"))
    }
    #expect(
      h.journal.lines().filter { $0.event == "run.start" && $0.value?["command"]?.stringValue == "ingest" }.count == 2,
      "--no-capture and the start-up ingest; the queued ones never started")
    let verify = try h.cli(["verify"])
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
  }

  /// systemd may stop a service the moment it is ready (`systemctl restart` twice, a failing
  /// dependency). READY=1 must mean SIGTERM is handled: the daemon used to send it before its
  /// signal sources were registered, with the signals ignored meanwhile, so a SIGTERM in that
  /// window was lost and the daemon ran on until SIGKILL (2 starts in 8 on the scale
  /// benchmark's million-link catalog, whose start-up ingest keeps the daemon's queue busy; this
  /// small store rarely hits the window, `signalWatcherIsRegisteredOnlyWhenASignalReachesItsHandler`
  /// checks the order itself). Each round reads, as READY=1 arrives, whether the kernel already
  /// has a handler for SIGTERM in the daemon (/proc/PID/status SigCgt), then sends SIGTERM.
  @Test func sigtermTheMomentReadyArrivesStopsTheDaemon() throws {
    // Digests for the start-up ingest to read: links on a port nobody serves.
    var digest = "# 停止测试 2026年02月17日\n\n## 链接\n> **来源：** "
    digest += (0..<400).map { "[p\($0)](http://127.0.0.1:9/s/\($0))" }.joined(separator: " 、 ") + "\n"
    for round in 0..<12 {
      let h = try DaemonHarness(config: "[web]\nlisten = \"127.0.0.1:\(Int.random(in: 20_000..<60_000))\"")
      defer { h.cleanUp() }
      for day in 10..<15 {
        try digest.write(toFile: h.digests + "/2026-02-\(day).md", atomically: true, encoding: .utf8)
      }
      let caught = Mutex<Bool?>(nil)
      h.notify.onMessage { text in
        let lines = text.split(separator: "\n")
        guard lines.contains("READY=1"), let field = lines.first(where: { $0.hasPrefix("MAINPID=") }),
          let pid = Int32(field.dropFirst("MAINPID=".count))
        else { return }
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let mask = status.split(separator: "\n").first { $0.hasPrefix("SigCgt:") }
          .flatMap { UInt64($0.dropFirst("SigCgt:".count).trimmingCharacters(in: .whitespaces), radix: 16) }
        caught.withLock { $0 = mask.map { $0 & (1 << UInt64(SIGTERM - 1)) != 0 } }
        kill(pid, SIGTERM)
      }
      let process = try h.start()
      let exited = DaemonHarness.wait(timeout: 15) { !process.isRunning }
      #expect(exited, "round \(round): still running 15 s after SIGTERM on READY=1: \(h.daemonStderr)")
      #expect(caught.withLock { $0 } == true, "round \(round): SIGTERM had no handler yet at READY=1")
      guard exited else { return }
      process.waitUntilExit()
      #expect(process.terminationReason == .exit && process.terminationStatus == 0, "round \(round)")
      #expect(h.events("daemon.stop").count == 1, "round \(round): \(h.daemonStderr)")
    }
  }

  @Test func requestsArrivingDuringARunWaitAndSameKindRequestsShareOneRun() throws {
    // 60 links at 500 ms, 4 at a time: a check of about eight seconds.
    let server = try FixtureServer()
    defer { server.stop() }
    let h = try DaemonHarness(config: "concurrency = 4\nper_host_concurrency = 4")
    defer { h.cleanUp() }
    var digest = "# 排队 2026年02月17日\n\n## 六十个链接\n> **来源：** "
    digest += (0..<60).map { "[p\($0)](\(server.url("/delay/500?i=\($0)")))" }.joined(separator: " 、 ")
    try (digest + "\n").write(toFile: h.digests + "/2026-02-17.md", atomically: true, encoding: .utf8)
    try h.start()
    #expect(DaemonHarness.wait(timeout: 60) { h.notify.count("READY=1") >= 1 }, "\(h.daemonStderr)")
    #expect(
      DaemonHarness.wait(timeout: 120) { h.events("run.finish").contains { $0["command"]?.stringValue == "ingest" } })

    func launch(_ arguments: [String], _ name: String) throws -> (Process, String) {
      let p = Process()
      p.executableURL = URL(fileURLWithPath: CommandRunner.binary)
      p.arguments = arguments + ["--config", h.configPath]
      let out = h.dir + "/\(name).txt"
      _ = FileManager.default.createFile(atPath: out, contents: nil)
      p.standardOutput = FileHandle(forWritingAtPath: out)
      p.standardError = p.standardOutput
      try p.run()
      return (p, out)
    }
    let check = try launch(["check", "now", "--all"], "check")
    #expect(DaemonHarness.wait(timeout: 60) { h.events("check").count >= 2 }, "the check never got going")
    let first = try launch(["ingest", "now"], "ingest-1")
    let second = try launch(["ingest", "now"], "ingest-2")
    for (p, _) in [check, first, second] { p.waitUntilExit() }
    let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
    #expect(check.0.terminationStatus == 0, "\(read(check.1))")
    #expect(read(check.1).contains("check: 60 of 60 link(s) checked"))
    for (p, out) in [first, second] {
      #expect(p.terminationStatus == 0, "\(read(out))")
      #expect(read(out).contains("queued behind it"), "\(read(out))")
      #expect(read(out).contains("ingest: 1 digest(s) read"))
    }
    // One ingest run served both clients, after the check (runs never overlap).
    let runs = h.journal.lines().filter { $0.event == "run.start" || $0.event == "run.finish" }
      .map { "\($0.event!):\($0.value?["command"]?.stringValue ?? "")" }
    #expect(
      runs == [
        "run.start:ingest", "run.finish:ingest", "run.start:check", "run.finish:check", "run.start:ingest",
        "run.finish:ingest",
      ], "\(runs)")
    #expect(h.events("control.request").filter { $0["command"]?.stringValue == "ingest" }.count == 1)
    #expect(h.signal(SIGTERM)?.status == 0)
  }

  @Test func transfersThatOutlastTheGraceAreAbandonedCleanly() throws {
    // Pages that take 13 s (under curl's 15 s low-speed limit), all four in flight at once:
    // SIGTERM cannot wait for them, the daemon leaves after its 9 s grace.
    let server = try FixtureServer()
    defer { server.stop() }
    let h = try DaemonHarness(config: "per_host_concurrency = 4")
    defer { h.cleanUp() }
    let links = (0..<4).map { "[slow\($0)](\(server.url("/delay/13000?i=\($0)")))" }.joined(separator: " 、 ")
    try "# 慢 2026年02月17日\n\n## 慢页面\n> **来源：** \(links)\n".write(
      toFile: h.digests + "/2026-02-17.md", atomically: true, encoding: .utf8)
    try h.start()
    #expect(DaemonHarness.wait(timeout: 60) { h.notify.count("READY=1") >= 1 }, "\(h.daemonStderr)")
    #expect(DaemonHarness.wait(timeout: 60) { server.requestLog.count >= 4 }, "the slow transfers never started")
    let stopped = h.signal(SIGTERM, timeout: 30)
    #expect(stopped?.status == 0)
    #expect((stopped?.seconds ?? 99) < 10.5, "took \(stopped?.seconds ?? -1) s")
    #expect(h.events("daemon.stop").first?["abandoned_run"] == .bool(true))
    #expect(h.events("capture").isEmpty)
    let verify = try h.cli(["verify"])
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    #expect(try h.cli(["ingest", "now", "--no-capture"]).status == 0, "the lock is free again")
  }

  @Test func watchdogPingsArriveAtHalfTheWatchdogInterval() throws {
    let h = try DaemonHarness()
    defer { h.cleanUp() }
    try h.start(environment: ["WATCHDOG_USEC": "2000000"])
    #expect(DaemonHarness.wait(timeout: 60) { h.notify.count("READY=1") >= 1 }, "\(h.daemonStderr)")
    let from = Date()
    Thread.sleep(forTimeInterval: 8)
    let pings = h.notify.count("WATCHDOG=1", after: from)
    // About one a second; loose bounds for a loaded machine.
    #expect((4...12).contains(pings), "\(pings) pings in 8 s")
    #expect(h.signal(SIGTERM)?.status == 0)
  }

  /// A link that drips forever (issue #13, High 2) ends at `fetch.link_deadline_s`, recorded
  /// `unreachable`/`timeout`, while the watchdog keeps pinging: one slow link is progress for
  /// nobody, but it never silences the daemon.
  @Test func aDrippingLinkEndsAtItsDeadlineAndTheWatchdogKeepsPinging() throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let h = try DaemonHarness()
    defer { h.cleanUp() }
    try LoopbackConfig.toml(fetch: "link_deadline_s = 4").write(toFile: h.configPath, atomically: true, encoding: .utf8)
    try h.start(environment: ["WATCHDOG_USEC": "2000000"])
    #expect(DaemonHarness.wait(timeout: 60) { h.notify.count("READY=1") >= 1 }, "\(h.daemonStderr)")
    let drip = server.url("/drip/600")
    let from = Date()
    try "# 日报 2026-03-09\n\n## 慢\n\n- [滴](\(drip))\n".write(
      toFile: h.digests + "/2026-03-09.md", atomically: true, encoding: .utf8)
    let ended = DaemonHarness.wait(timeout: 60) { h.events("capture").contains { $0["url"]?.stringValue == drip } }
    #expect(ended, "the dripping link was never recorded: \(h.daemonStderr)")
    let event = h.events("capture").first { $0["url"]?.stringValue == drip }
    #expect(event?["status"]?.stringValue == "unreachable")
    #expect(event?["reason"]?.stringValue == "timeout")
    #expect(event?["detail"]?.stringValue?.contains("link_deadline_s") == true, "\(String(describing: event))")
    // Pings went on through the drip (about one a second; loose bounds for a loaded machine).
    let elapsed = Date().timeIntervalSince(from)
    let pings = h.notify.count("WATCHDOG=1", after: from)
    #expect(Double(pings) >= elapsed / 3, "\(pings) pings in \(Int(elapsed)) s")
    #expect(h.signal(SIGTERM)?.status == 0)
  }

  /// Idle CPU over 30 s stays under 1 % of a core. Slow, so only with SOURCEKEEP_IDLE_TEST=1
  /// (`make test-idle`).
  @Test(.enabled(if: ProcessInfo.processInfo.environment["SOURCEKEEP_IDLE_TEST"] == "1"))
  func anIdleDaemonUsesUnderOnePercentOfACore() throws {
    let h = try DaemonHarness()
    defer { h.cleanUp() }
    let daemon = try h.start()
    #expect(DaemonHarness.wait(timeout: 60) { h.notify.count("READY=1") >= 1 }, "\(h.daemonStderr)")
    Thread.sleep(forTimeInterval: 3)
    let before = try Self.cpuTicks(daemon.processIdentifier)
    Thread.sleep(forTimeInterval: 30)
    let after = try Self.cpuTicks(daemon.processIdentifier)
    let share = Double(after - before) / Double(sysconf(Int32(_SC_CLK_TCK))) / 30
    print("idle CPU: \(after - before) ticks in 30 s = \(String(format: "%.3f", share * 100)) % of a core")
    #expect(share < 0.01)
    #expect(h.signal(SIGTERM)?.status == 0)
  }

  /// utime + stime of `pid`, in clock ticks (/proc/PID/stat fields 14 and 15).
  static func cpuTicks(_ pid: Int32) throws -> Int {
    let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
    let afterName = stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")
    return Int(afterName[11])! + Int(afterName[12])!
  }
}
