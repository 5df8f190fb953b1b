import Foundation
import SourcekeepCore
import SourcekeepTestSupport
import Testing

/// What a new user meets in the first hour (issue #19, docs/design.md#cli): `init`, the config
/// found in the working directory, global options before the subcommand, `--json` on every
/// command that prints, `--quiet`, `--fail-on`, `--output` inferring the format, and `forget`.
@Suite struct FirstHourCLITests {
  /// A store set up with `init`, citing three loopback pages (one gone) and one 405 answer.
  func initialisedStore(_ server: FixtureServer) throws -> (TempDirectory, CommandRunner) {
    let tmp = TempDirectory(prefix: "sk-first")
    let run = CommandRunner(workingDirectory: tmp.path)
    let setup = try run.run(["init", "."])
    #expect(setup.status == 0, "\(setup.stderr)")
    #expect(setup.stdout.contains("sourcekeep.toml") && setup.stdout.contains("digests"))
    // Loopback needs allowing, and no politeness gap keeps the test fast.
    let config = try String(contentsOfFile: tmp.file("sourcekeep.toml"), encoding: .utf8)
    try config.replacingOccurrences(
      of: "[fetch]\n", with: "[fetch]\nallow_private_networks = true\nper_host_interval_ms = 0\nretries = 0\n"
    ).replacingOccurrences(of: "exclude = []", with: "exclude = [\"notes.md\"]")
      .write(toFile: tmp.file("sourcekeep.toml"), atomically: true, encoding: .utf8)
    let links = [
      "[量子位](\(server.url("/ok?a=1")))", "[机器之心](\(server.url("/ok?a=2")))",
      "[新智元](\(server.url("/status/404")))", "[36氪](\(server.url("/status/405")))",
    ]
    tmp.write("digests/2026-02-17.md", "# AI 日报 2026年02月17日\n\n## 一\n> **来源：** \(links.joined(separator: " 、 "))\n")
    tmp.write("digests/notes.md", "# notes\n\n- [x](\(server.url("/ok?notes=1")))\n")
    return (tmp, run)
  }

  @Test func initThenTheConfigInTheWorkingDirectoryIsUsedAndExcludeKeepsNotesOut() throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let (tmp, run) = try initialisedStore(server)
    let again = try run.run(["init", "."])
    #expect(again.status == 1 && again.stderr.contains("already exists"), "init never overwrites")
    let check = try run.run(["config", "check"])
    #expect(check.stdout.contains("(in the working directory)"), "\(check.stdout)")
    // exclude (set by initialisedStore) keeps notes.md out without an error.
    let ingest = try run.run(["ingest", "now"])
    #expect(ingest.status == 0, "\(ingest.stderr)")
    #expect(ingest.stdout.contains("1 digest(s) read") && !ingest.stdout.contains("notes=1"), "\(ingest.stdout)")
    #expect(ingest.stderr.isEmpty, "\(ingest.stderr)")
    withExtendedLifetime(tmp) {}
    #expect(ingest.stdout.contains("blocked/client-error"), "a 405 is blocked with reason client-error")
  }

  @Test func globalOptionsComeBeforeOrAfterTheSubcommand() throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let (tmp, _) = try initialisedStore(server)
    defer { withExtendedLifetime(tmp) {} }
    // From another folder, so only the option can find the config.
    let elsewhere = CommandRunner(workingDirectory: "/")
    let config = tmp.file("sourcekeep.toml")
    let before = try elsewhere.run(["-c", config, "ingest", "now"])
    #expect(before.status == 0, "\(before.stderr)")
    for arguments in [
      ["--config", config, "status"], ["status", "-c", config], ["--config=\(config)", "status"],
      ["-q", "-c", config, "config", "check"], ["--color", "never", "--config", config, "report"],
    ] {
      let result = try elsewhere.run(arguments)
      #expect(result.status == 0, "\(arguments): \(result.stderr)")
    }
    let quiet = try elsewhere.run(["-q", "--config", config, "check", "now", "--all"])
    #expect(quiet.status == 0, "\(quiet.stderr)")
    #expect(quiet.stdout.split(separator: "\n").count == 1, "--quiet prints one final line: \(quiet.stdout)")
    #expect(quiet.stdout.hasPrefix("check: 4 of 4"))
  }

  @Test func everyRunCommandPrintsJSON() throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let (tmp, run) = try initialisedStore(server)
    defer { withExtendedLifetime(tmp) {} }
    let ingest = try run.run(["ingest", "now", "--json"])
    #expect(ingest.status == 0, "\(ingest.stderr)")
    let lines = ingest.stdout.split(separator: "\n").map { JSONValue.parse(String($0)) }
    #expect(lines.allSatisfy { $0 != nil }, "every line is JSON: \(ingest.stdout)")
    #expect(lines.filter { $0?["type"] == "link" }.count == 4)
    let summary = try #require(lines.last ?? nil)
    #expect(summary["type"] == "summary" && summary["command"] == "ingest")
    #expect(summary["capture"]?["captured"] == .int(2), "\(summary.compact)")
    let gone = lines.first { $0?["url"]?.stringValue?.contains("/status/404") == true } ?? nil
    #expect(gone?["status"] == "gone" && gone?["state_after"] != nil)

    let check = try run.run(["check", "now", "--all", "--json"])
    let checkLines = check.stdout.split(separator: "\n").compactMap { JSONValue.parse(String($0)) }
    #expect(checkLines.count == 5 && checkLines.last?["command"] == "check" && checkLines.last?["done"] == .int(4))

    let verify = try #require(JSONValue.parse(try run.run(["verify", "--json"]).stdout))
    #expect(verify["ok"] == .bool(true) && (verify["snapshots_checked"]?.intValue ?? 0) >= 2, "\(verify.compact)")

    let config = try #require(JSONValue.parse(try run.run(["config", "check", "--json"]).stdout))
    #expect(config["sections"]?["fetch"]?["allow_private_networks"]?["value"] == .bool(true))
    #expect(config["sections"]?["fetch"]?["allow_private_networks"]?["from"] == "file")
    #expect(config["sections"]?["journal"]?["keep_days"]?["value"] == .int(90))
    let broken = TempDirectory()
    broken.write("bad.toml", "[fetch]\nconcurency = 3\n")
    let refused = try run.run(["config", "check", "--json", "--config", broken.file("bad.toml")])
    #expect(refused.status == 78)
    #expect(JSONValue.parse(refused.stdout)?["key"] == "fetch.concurency", "\(refused.stdout)")
  }

  @Test func failOnExitsTwoAndOutputInfersTheFormat() throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let (tmp, run) = try initialisedStore(server)
    #expect(try run.run(["ingest", "now"]).status == 0)
    // No --fail-on: dead links still exit 0.
    #expect(try run.run(["report"]).status == 0)
    let failing = try run.run(["report", "--fail-on", "failing", "--fail-on", "dead"])
    #expect(failing.status == 2, "a gone link is failing after one check: \(failing.stderr)")
    #expect(failing.stderr.contains("--fail-on"))
    #expect(try run.run(["report", "--fail-on", "drifted"]).status == 0)
    let check = try run.run(["check", "now", "--all", "--fail-on", "failing"])
    #expect(check.status == 2, "\(check.stdout)\(check.stderr)")
    #expect(try run.run(["check", "now", "--all", "--fail-on", "dead"]).status == 0)

    let written = try run.run(["report", "-o", "r.html"])
    #expect(written.status == 0, "\(written.stderr)")
    let html = try String(contentsOfFile: tmp.file("r.html"), encoding: .utf8)
    #expect(html.hasPrefix("<!DOCTYPE html>") || html.lowercased().hasPrefix("<!doctype html>"))
    #expect(try run.run(["report", "--output", "r.json"]).status == 0)
    #expect(JSONValue.parse(try String(contentsOfFile: tmp.file("r.json"), encoding: .utf8))?["schema"] != nil)
    let missing = try run.run(["report", "-o", "no/such/dir/r.html"])
    #expect(missing.status == 1 && missing.stderr.contains("no/such/dir"), "\(missing.stderr)")
  }

  @Test func forgetDropsADigestsCitationsAndKeepsTheArchive() throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let (tmp, run) = try initialisedStore(server)
    #expect(try run.run(["ingest", "now"]).status == 0)
    let unknown = try run.run(["forget", "--digest", "2030-01-01"])
    #expect(unknown.status == 64)
    let forget = try run.run(["forget", "--digest", "2026-02-17"])
    #expect(forget.status == 0, "\(forget.stderr)")
    #expect(forget.stdout.contains("4 citation(s) removed") && forget.stdout.contains("4 link(s) no longer cited"))
    #expect(forget.stderr.contains("still on disk"), "the file would be read again: say so")
    // Nothing is checked any more; the archive and verify still stand.
    let check = try run.run(["check", "now", "--all", "--json"])
    #expect(JSONValue.parse(check.stdout)?["links"] == .int(0), "\(check.stdout)")
    #expect(try run.run(["verify"]).status == 0)
    let catalog = try Catalog.openForReading(path: tmp.file("sourcekeep-data/catalog.sqlite"))
    #expect(try catalog.allSnapshots().count == 2, "snapshots are kept")
    let journal = try run.run(["journal", "--json"])
    #expect(journal.stdout.contains("\"digest.forget\""))
  }

  @Test func everyReportNamesTheDigestsNoLongerOnDisk() throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let (tmp, run) = try initialisedStore(server)
    #expect(try run.run(["ingest", "now", "--no-capture"]).status == 0)
    #expect(!(try run.run(["report"]).stdout.contains("no longer on disk")), "the file is still there")
    try FileManager.default.removeItem(atPath: tmp.file("digests/2026-02-17.md"))
    let text = try run.run(["report"]).stdout
    #expect(text.contains("no longer on disk: 2026-02-17") && text.contains("forget --digest"), "\(text)")
    let json = JSONValue.parse(try run.run(["report", "-f", "json"]).stdout)
    #expect(json?["summary"]?["digests_not_on_disk"] == .array([.string("2026-02-17.md")]), "\(json?.compact ?? "")")
    #expect(try run.run(["report", "-f", "markdown"]).stdout.contains("No longer on disk: 2026-02-17"))
    #expect(try run.run(["report", "-f", "html"]).stdout.contains("No longer on disk: 2026-02-17"))
    // Forgetting it ends the note: nothing of it is in scope any more.
    #expect(try run.run(["forget", "--digest", "2026-02-17"]).status == 0)
    #expect(!(try run.run(["report"]).stdout.contains("no longer on disk")))
  }
}

/// Summaries that do not mislead (issue #19): links waiting for a retry are counted with the
/// time of the next one, a check with nothing due says when something will be, and on a
/// terminal the failed links are listed at the end.
@Suite struct RunSummaryCLITests {
  @Test func waitingLinksAndTheNextDueTimeAreNamed() throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let tmp = TempDirectory(prefix: "sk-sum")
    let links = ["[a](\(server.url("/ok?a=1")))", "[b](\(server.url("/status/404")))"]
    tmp.write("digests/2026-02-17.md", "# d 2026年02月17日\n\n## x\n> **来源：** \(links.joined(separator: " 、 "))\n")
    tmp.write("sourcekeep.toml", LoopbackConfig.toml())
    let run = CommandRunner(workingDirectory: tmp.path)
    #expect(try run.run(["ingest", "now"]).status == 0)
    let again = try run.run(["ingest", "now"])
    #expect(again.stdout.contains("capture: 0 link(s)"), "\(again.stdout)")
    #expect(again.stdout.contains("waiting: 1 link(s) without a snapshot wait for a retry"), "\(again.stdout)")
    #expect(again.stdout.contains(" UTC"), "the next retry time is given: \(again.stdout)")
    #expect(try run.run(["check", "now", "--all"]).status == 0)
    let due = try run.run(["check", "now"])
    #expect(due.stdout.contains("nothing was due"), "\(due.stdout)")
    #expect(due.stdout.contains("next: 2 link(s) are not due yet") && due.stdout.contains("--all"), "\(due.stdout)")
    let unknown = try run.run(["check", "now", "--url", "https://example.com/none"])
    #expect(unknown.status == 64)
    #expect(!unknown.stdout.contains("nothing was due"), "\(unknown.stdout)")
  }

  @Test func onATerminalTheFailedLinksAreListedAtTheEnd() throws {
    let script = "/usr/bin/script"
    try #require(FileManager.default.isExecutableFile(atPath: script), "util-linux script(1) gives the run a terminal")
    let server = try FixtureServer()
    defer { server.stop() }
    let tmp = TempDirectory(prefix: "sk-tty")
    let links = ["[a](\(server.url("/ok?a=1")))", "[b](\(server.url("/status/404")))"]
    tmp.write("digests/2026-02-17.md", "# d 2026年02月17日\n\n## x\n> **来源：** \(links.joined(separator: " 、 "))\n")
    tmp.write("sourcekeep.toml", LoopbackConfig.toml())
    let binary = try CommandRunner.requireBinary()
    let result = try CommandRunner.run(
      executable: script, ["-qec", "\(binary) ingest now --config sourcekeep.toml", "/dev/null"], in: tmp.path)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("failed (1):"), "\(result.stdout)")
    #expect(result.stdout.contains("gone") && result.stdout.contains("/status/404"), "\(result.stdout)")
  }
}
