import Foundation
import SourcekeepCore
import SourcekeepTestSupport
import Testing

/// The built binary, run as a user runs it: exit codes and messages are the contract.
/// The example digest (examples/digests) cites real WeChat URLs, so these runs pass
/// `--no-capture`: tests never leave loopback (capture is covered against the loopback
/// fixture server). Its counts are read from the raw file.
@Suite struct CLITests {
  let tmp = TempDirectory(prefix: "sk-cli")
  var dir: String { tmp.path }
  let runner: CommandRunner
  let raw: RawDigestCounts

  init() throws {
    let example = TestFixtures.exampleDigest("2026-02-17.md")
    raw = RawDigestCounts(markdown: try String(contentsOf: example, encoding: .utf8))
    try FileManager.default.createDirectory(atPath: tmp.path + "/digests", withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: example.path, toPath: tmp.path + "/digests/2026-02-17.md")
    try "[digests]\npaths = [\"digests\"]\n[storage]\ndir = \"data\"\n".write(
      toFile: tmp.path + "/sourcekeep.toml", atomically: true, encoding: .utf8)
    runner = CommandRunner(workingDirectory: tmp.path)
  }

  func write(_ name: String, _ text: String) {
    try! text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
  }

  @Test func everyContractSubcommandHasHelp() throws {
    let help = try runner.run(["--help"])
    #expect(help.status == 0)
    for command in [
      "run", "ingest", "check", "report", "status", "journal", "probe", "extract", "search", "verify", "config",
    ] {
      #expect(help.stdout.contains("  \(command)"), "top-level help lacks \(command)")
      let sub = try runner.run([command, "--help"])
      #expect(sub.status == 0, "\(command) --help failed")
      #expect(sub.stdout.contains("USAGE"))
    }
    #expect(try runner.run(["ingest", "now", "--help"]).stdout.contains("--digest"))
    #expect(try runner.run(["check", "now", "--help"]).stdout.contains("--all"))
    #expect(try runner.run(["config", "check", "--help"]).stdout.contains("--config"))
    #expect(try runner.run(["report", "--help"]).stdout.contains("--state"))
  }

  @Test func ingestThenReportShowsTheSeedDigest() throws {
    let ingest = try runner.run(["ingest", "now", "--config", "sourcekeep.toml", "--no-capture"])
    #expect(ingest.status == 0, "\(ingest.stderr)")
    let links = raw.distinctURLs
    #expect(ingest.stdout.contains("entries \(raw.entries)"))
    #expect(ingest.stdout.contains("source citations \(raw.sources.count)"))
    #expect(ingest.stdout.contains("links \(links) (\(links) new)"))
    let text = try runner.run(["report", "--config", "sourcekeep.toml"])
    #expect(text.status == 0)
    for publisher in raw.publishers {
      #expect(text.stdout.contains(publisher))
    }
    // Piped, nothing is wrapped or cut: every URL line is whole (docs/design.md#text-report).
    #expect(text.stdout.split(separator: "\n").filter { $0.hasPrefix("  http") }.allSatisfy { !$0.contains("…") })
    let json = try runner.run(["report", "--config", "sourcekeep.toml", "--format", "json"])
    let value = try #require(JSONValue.parse(json.stdout))
    #expect(value["schema"] == "sourcekeep.report/1")
    #expect(value["summary"]?["links"] == .int(Int64(links)))
    // A second run changes nothing and says so.
    let again = try runner.run(["ingest", "now", "--config", "sourcekeep.toml", "--no-capture"])
    #expect(again.stdout.contains("1 unchanged"))
    #expect(again.stdout.contains("(0 new)"))
    // The journal has the run.
    let journal = try runner.run(["journal", "--config", "sourcekeep.toml", "--json"])
    let events = journal.stdout.split(separator: "\n").compactMap { JSONValue.parse(String($0))?["event"]?.stringValue }
    #expect(events == ["run.start", "digest.read", "run.finish", "run.start", "digest.read", "run.finish"])
    let status = try runner.run(["status", "--config", "sourcekeep.toml"])
    #expect(status.stdout.contains("pending \(links)"))
    // The last ingest for people, not a raw journal line.
    #expect(status.stdout.contains("capture skipped") && !status.stdout.contains("run.finish"), "\(status.stdout)")
  }

  @Test func reportWritesToAFileAndFiltersByDigest() throws {
    _ = try runner.run(["ingest", "now", "--config", "sourcekeep.toml", "--no-capture"])
    let out = try runner.run([
      "report", "--config", "sourcekeep.toml", "--format", "json", "--digest", "2026-02-17", "--output", "r.json",
    ])
    #expect(out.status == 0)
    let text = try String(contentsOfFile: dir + "/r.json", encoding: .utf8)
    #expect(JSONValue.parse(text)?["summary"]?["digests"] == 1)
    let missing = try runner.run(["report", "--config", "sourcekeep.toml", "--digest", "1999-01-01"])
    #expect(missing.status == 64)
    #expect(missing.stderr.contains("1999-01-01"))
  }

  @Test func badFilesInTheFolderAreSkippedWithAWarningAndTheRestIsRead() throws {
    try Data([0x00, 0x01, 0xFF, 0xFE]).write(to: URL(fileURLWithPath: dir + "/digests/binary.md"))
    write("digests/empty.md", "")
    let ingest = try runner.run(["ingest", "now", "--config", "sourcekeep.toml", "--no-capture"])
    #expect(ingest.status == 0)
    #expect(ingest.stderr.contains("binary.md"))
    #expect(ingest.stderr.contains("empty.md"))
    #expect(ingest.stdout.contains("1 digest(s) read"))
    let journal = try runner.run(["journal", "--config", "sourcekeep.toml", "--json"])
    let errors = journal.stdout.split(separator: "\n").compactMap { JSONValue.parse(String($0)) }
      .filter { $0["event"] == "error" }
    #expect(errors.count == 2)
  }

  @Test func configErrorsExit78NamingTheKey() throws {
    let cases: [(String, String)] = [
      ("[fetch]\nconcurency = 4\n", "fetch.concurency"),
      ("[health]\nrecheck_interval = \"daily\"\n", "health.recheck_interval"),
      ("[fetch]\nconcurrency = \"16\"\n", "fetch.concurrency"),
    ]
    for (toml, key) in cases {
      write("bad.toml", toml)
      for args in [["config", "check", "--config", "bad.toml"], ["ingest", "now", "--config", "bad.toml"]] {
        let result = try runner.run(args)
        #expect(result.status == 78, "\(args) with \(key)")
        #expect(result.stderr.contains(key))
        #expect(result.stderr.contains("bad.toml"))
      }
    }
    let env = CommandRunner(workingDirectory: dir, environment: ["SOURCEKEEP_CONFIG": dir + "/bad.toml"])
    #expect(try env.run(["config", "check"]).status == 78)
  }

  @Test func configCheckPrintsEffectiveValuesAndTheirOrigin() throws {
    let result = try runner.run(["config", "check", "--config", "sourcekeep.toml"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("(from --config)"))
    #expect(result.stdout.contains("concurrency = 16"))
    #expect(result.stdout.contains("# default"))
    #expect(result.stdout.contains("dir = \"\(dir)/data\"") || result.stdout.contains("/data\""))
  }

  @Test func aSecondWriterExits75NamingTheHolder() throws {
    try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
    let lock = try StoreLock(path: dir + "/data/lock")
    let result = try runner.run(["ingest", "now", "--config", "sourcekeep.toml", "--no-capture"])
    #expect(result.status == 75)
    #expect(result.stderr.contains("\(getpid())"))
    withExtendedLifetime(lock) {}
  }

  @Test func missingDigestFileExits65() throws {
    let result = try runner.run(["ingest", "now", "--config", "sourcekeep.toml", "--digest", "nope.md"])
    #expect(result.status == 65)
    #expect(result.stderr.contains("nope.md"))
  }

  @Test func runWithABrokenConfigExits78BeforeTouchingTheStore() throws {
    try "[fetch]\nconcurrency = 0\n".write(toFile: dir + "/broken.toml", atomically: true, encoding: .utf8)
    let result = try runner.run(["run", "--config", "broken.toml"])
    #expect(result.status == 78, "\(result.stderr)")
    #expect(result.stderr.contains("concurrency"))
  }
}
