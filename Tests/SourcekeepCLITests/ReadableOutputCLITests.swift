import Foundation
import SourcekeepCore
import SourcekeepTestSupport
import Testing

/// Output people read (issue #19, docs/design.md#cli): the nearest command for a typo, the
/// text report's whole URLs and collapsed pending links, `--state alive`, CSV `--bom`, one
/// size unit rule and one time format, `status`'s last runs, and `ingest now --digest X`
/// capturing X's links only.
@Suite struct ReadableOutputCLITests {
  /// A WeChat-like address: what tells articles apart (`sn=`, `chksm=`) is at the far end.
  static func longQuery(_ n: Int) -> String {
    "__biz=MzI3MTA0MTk1MA%3D%3D&mid=2652\(n)&idx=1&sn=0123456789abcdef0123456789abcdef"
      + "&chksm=f1e2d3c4b5a6978877665544332211ffeeddccbbaa99887766554433221100&scene=21"
  }

  /// Two digests on a loopback site: a.md cites two pages and a gone one with a long URL,
  /// b.md cites two other pages.
  func store(_ server: FixtureServer) -> (TempDirectory, CommandRunner) {
    let tmp = TempDirectory(prefix: "sk-readable")
    tmp.write("sourcekeep.toml", LoopbackConfig.toml())
    let a = [server.url("/ok?a=1"), server.url("/ok?a=2"), server.url("/status/404?" + Self.longQuery(1))]
    let b = [server.url("/ok?b=1"), server.url("/ok?b=2")]
    func digest(_ links: [String]) -> String {
      "# AI 日报\n\n## 千问 3.5 开源发布：极致稀疏 MoE 架构实现性能超越闭源模型\n> **来源：** "
        + links.enumerated().map { "[量子位\($0.offset)](\($0.element))" }
        .joined(separator: " 、 ") + "\n"
    }
    tmp.write("digests/2026-02-17.md", digest(a))
    tmp.write("digests/2026-02-18.md", digest(b))
    return (tmp, CommandRunner(workingDirectory: tmp.path))
  }

  @Test func aMistypedCommandOrOptionNamesTheNearestOne() throws {
    let run = CommandRunner(workingDirectory: "/")
    let typo = try run.run(["stauts"])
    #expect(typo.status == 64)
    #expect(typo.stderr.contains("unknown command 'stauts'. Did you mean 'status'?"), "\(typo.stderr)")
    let nested = try run.run(["ingest", "nwo"])
    #expect(nested.status == 64 && nested.stderr.contains("Did you mean 'now'?"), "\(nested.stderr)")
    let option = try run.run(["status", "--jsno"])
    #expect(option.status == 64 && option.stderr.contains("Did you mean '--json'?"), "\(option.stderr)")
    let globalsFirst = try run.run(["-q", "reprot"])
    #expect(globalsFirst.status == 64 && globalsFirst.stderr.contains("Did you mean 'report'?"))
    let nothingNear = try run.run(["xyzzy"])
    #expect(nothingNear.status == 64 && nothingNear.stderr.contains("Commands: run, ingest"), "\(nothingNear.stderr)")
    // Real commands and help are untouched.
    #expect(try run.run(["help", "status"]).status == 0)
  }

  @Test func ingestWithDigestCapturesOnlyThatDigestsLinks() throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let (tmp, run) = store(server)
    defer { withExtendedLifetime(tmp) {} }
    #expect(try run.run(["ingest", "now", "--no-capture"]).status == 0)
    let one = try run.run(["ingest", "now", "--digest", "digests/2026-02-18.md", "--json"])
    #expect(one.status == 0, "\(one.stderr)")
    let lines = one.stdout.split(separator: "\n").compactMap { JSONValue.parse(String($0)) }
    let urls = lines.filter { $0["type"] == "link" }.compactMap { $0["url"]?.stringValue }
    #expect(Set(urls) == [server.url("/ok?b=1"), server.url("/ok?b=2")], "\(urls)")
    let catalog = try Catalog.openForReading(path: tmp.file("data/catalog.sqlite"))
    #expect(try catalog.allSnapshots().count == 2, "the other digest's links stay uncaptured")
    #expect(try catalog.linkIDsToCapture().count == 3, "a.md's three links still wait")
    // A full ingest then takes the backlog.
    let all = try run.run(["ingest", "now", "--json"])
    let summary = all.stdout.split(separator: "\n").compactMap { JSONValue.parse(String($0)) }.last
    #expect(summary?["capture"]?["links"] == .int(3), "\(all.stdout)")
  }

  @Test func textReportPrintsURLsWholeAndCollapsesPendingLinks() throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let (tmp, run) = store(server)
    defer { withExtendedLifetime(tmp) {} }
    #expect(try run.run(["ingest", "now", "--no-capture"]).status == 0)
    let pending = try run.run(["report"])
    #expect(pending.status == 0, "\(pending.stderr)")
    #expect(pending.stdout.contains("PENDING  5 links not checked yet"), "\(pending.stdout)")
    #expect(!pending.stdout.contains(server.url("/ok?a=1")), "no card per pending link by default")
    let listed = try run.run(["report", "--list-pending"])
    for url in [server.url("/ok?a=1"), server.url("/ok?b=2")] {
      #expect(listed.stdout.contains("\n  \(url)\n"), "--list-pending gives each its card")
    }
    #expect(try run.run(["report", "--state", "pending"]).stdout.contains("\n  \(server.url("/ok?a=1"))\n"))

    #expect(try run.run(["ingest", "now"]).status == 0)
    let report = try run.run(["report"])
    let long = server.url("/status/404?" + Self.longQuery(1))
    #expect(long.count > 160, "longer than any terminal line")
    #expect(report.stdout.contains("\n  \(long)\n"), "the whole URL on one line, piped: \(report.stdout)")
    #expect(!report.stdout.contains("…&"), "never cut")
    #expect(!report.stdout.contains("PENDING "), "nothing pending after the capture")
    // Several words without quotes are one query, not a usage error.
    let words = try run.run(["search", "nothing", "here"])
    #expect(words.status == 0 && words.stdout.contains(#"no archived article contains "nothing here""#))
    // Times for people: one format.
    #expect(report.stdout.contains(#/report — \d{4}-\d\d-\d\d \d\d:\d\d UTC\n/#), "\(report.stdout.prefix(80))")
    #expect(report.stdout.contains(#/first failure \d{4}-\d\d-\d\d \d\d:\d\d UTC\n/#), "\(report.stdout)")

    // --state alive lists the alive links in every format: text, CSV, JSON, Markdown and HTML.
    let alive = try run.run(["report", "--state", "alive"])
    #expect(alive.stdout.contains("ALIVE — 4 links"), "\(alive.stdout)")
    #expect(alive.stdout.contains("\n  \(server.url("/ok?a=1"))\n") && !alive.stdout.contains("\n  \(long)\n"))
    let csv = try run.run(["report", "--state", "alive", "-f", "csv"])
    #expect(csv.stdout.split(separator: "\r\n").count == 5, "header + 4 alive rows: \(csv.stdout)")
    let json = try #require(JSONValue.parse(try run.run(["report", "--state", "alive", "-f", "json"]).stdout))
    if case .array(let links)? = json["links"] {
      #expect(links.count == 4 && links.allSatisfy { $0["state"] == "alive" })
    } else {
      Issue.record("no links array: \(json.compact.prefix(200))")
    }
    let markdown = try run.run(["report", "--state", "alive", "-f", "markdown"]).stdout
    #expect(markdown.contains("### Alive (4 of "), "\(markdown)")
    #expect(markdown.contains("| alive |") && markdown.contains(server.url("/ok?a=1")), "\(markdown)")
    let html = try run.run(["report", "--state", "alive", "-f", "html"]).stdout
    #expect(html.contains("<h2>Alive (4 of "), "\(html.prefix(400))")
    #expect(html.contains("href=\"\(server.url("/ok?a=1"))\""), "the alive link is in the HTML table")
    let plain = try run.run(["report", "-f", "markdown"]).stdout
    #expect(!plain.contains("### Alive"), "no alive table unless asked")
  }

  @Test func csvByteOrderMarkOnlyWhenAsked() throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let (tmp, run) = store(server)
    #expect(try run.run(["ingest", "now", "--no-capture"]).status == 0)
    #expect(try run.run(["report", "-o", "plain.csv"]).status == 0)
    #expect(try run.run(["report", "-o", "excel.csv", "--bom"]).status == 0)
    let plain = try Data(contentsOf: URL(fileURLWithPath: tmp.file("plain.csv")))
    let excel = try Data(contentsOf: URL(fileURLWithPath: tmp.file("excel.csv")))
    #expect(Array(excel.prefix(3)) == [0xEF, 0xBB, 0xBF])
    #expect(Array(plain.prefix(3)) == Array("url".utf8), "no BOM by default")
    #expect(excel.dropFirst(3) == plain, "the BOM is the only difference")
    #expect(String(decoding: excel, as: UTF8.self).contains("量子位"))
    let wrong = try run.run(["report", "-f", "json", "--bom"])
    #expect(wrong.status == 64 && wrong.stderr.contains("--bom"), "\(wrong.stderr)")
  }

  @Test func statusShowsSizesAndTheLastRunsForPeople() throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let (tmp, run) = store(server)
    defer { withExtendedLifetime(tmp) {} }
    let before = try run.run(["status"])
    #expect(before.stdout.contains("ingest    none yet"), "\(before.stdout)")
    #expect(try run.run(["ingest", "now"]).status == 0)
    #expect(try run.run(["check", "now", "--all"]).status == 0)
    let status = try run.run(["status"])
    #expect(status.status == 0, "\(status.stderr)")
    let lines = status.stdout.split(separator: "\n").map(String.init)
    let ingest = try #require(lines.first { $0.hasPrefix("ingest ") }, "\(status.stdout)")
    #expect(ingest.contains(#/\d{4}-\d\d-\d\d \d\d:\d\d UTC \((just now|\d+ s ago)\)/#), "\(ingest)")
    #expect(ingest.contains("2 digest(s), 5 link(s) (5 new)") && ingest.contains("captured 4 of 5"), "\(ingest)")
    #expect(ingest.contains("failed 1"), "\(ingest)")
    #expect(!ingest.contains("{") && !ingest.contains("to_capture="), "no raw journal fields: \(ingest)")
    let check = try #require(lines.first { $0.hasPrefix("check ") })
    #expect(check.contains("checked 5 of 5") && check.contains("failed 1"), "\(check)")
    let archive = try #require(lines.first { $0.hasPrefix("archive ") })
    #expect(archive.contains(#/ \d+\.\d (KiB|MiB) in /#), "1024-based unit: \(archive)")
    #expect(!archive.contains(" MB"), "\(archive)")
    // The catalog's size on disk and per link (file and WAL, over the five links).
    let catalogLine = try #require(lines.first { $0.hasPrefix("catalog ") })
    #expect(catalogLine.contains(#/links 5 · \d+\.\d (KiB|MiB) \(\d+\.\d KiB a link\)/#), "\(catalogLine)")
    let json = try #require(JSONValue.parse(try run.run(["status", "--json"]).stdout))
    #expect((json["archive_bytes"]?.intValue ?? 0) > 1024, "JSON keeps bytes")
    let catalogBytes = try #require(json["catalog_bytes"]?.intValue)
    let onDisk = try FileManager.default.attributesOfItem(atPath: tmp.path + "/data/catalog.sqlite")[.size] as? Int
    #expect(catalogBytes >= Int64(try #require(onDisk)), "the file at least, and its WAL")
    #expect(json["catalog_bytes_per_link"]?.intValue == catalogBytes / 5)
    // The journal's lines for people use the same format, with seconds.
    let journal = try run.run(["journal"])
    #expect(journal.stdout.split(separator: "\n").allSatisfy { $0.contains(#/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC /#) })
  }

  @Test func configCheckShowsValuesAsTheFileWroteThem() throws {
    let tmp = TempDirectory(prefix: "sk-config-written")
    tmp.write(
      "sourcekeep.toml",
      "[schedule]\ncheck_every = \"6h\"   # every six hours\n[health]\nrecheck_interval = \"24h\"\n"
        + "drift_threshold = 0.40\n[storage]\ndir = \"data\"\n")
    let check = try CommandRunner(workingDirectory: tmp.path).run(["config", "check"])
    #expect(check.status == 0, "\(check.stderr)")
    let lines = check.stdout.split(separator: "\n").map(String.init)
    func line(_ key: String) -> String { lines.first { $0.hasPrefix(key + " = ") } ?? "" }
    #expect(line("check_every").contains(#/^check_every = "6h" +# from file$/#), "\(check.stdout)")
    #expect(line("recheck_interval").contains(#"recheck_interval = "24h""#), "as written, not 86400 or 1d")
    #expect(line("recheck_interval").hasSuffix("# from file"), "the same duration: \(line("recheck_interval"))")
    #expect(line("drift_threshold").hasPrefix("drift_threshold = 0.40 "), "\(line("drift_threshold"))")
    #expect(line("dir").hasPrefix(#"dir = "data" "#) && line("dir").contains("effective \"/"), "\(line("dir"))")
    #expect(line("ingest_every").hasSuffix("# default"), "\(line("ingest_every"))")
  }

  @Test func onATerminalTextWrapsAtItsWidthAndURLsStayWhole() throws {
    let script = "/usr/bin/script"
    try #require(FileManager.default.isExecutableFile(atPath: script), "util-linux script(1) gives the run a terminal")
    let server = try FixtureServer()
    defer { server.stop() }
    let (tmp, run) = store(server)
    defer { withExtendedLifetime(tmp) {} }
    #expect(try run.run(["ingest", "now"]).status == 0)
    let binary = try CommandRunner.requireBinary()
    let result = try CommandRunner.run(
      executable: script, ["-qec", "stty cols 50; \(binary) report --color never", "/dev/null"], in: tmp.path)
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    let lines = result.stdout.replacingOccurrences(of: "\r", with: "").split(separator: "\n").map(String.init)
    let long = server.url("/status/404?" + Self.longQuery(1))
    #expect(lines.contains("  " + long), "the URL whole on its own line: \(result.stdout)")
    // Everything else fits 50 columns (tables aside: their columns are fixed).
    let prose = lines.prefix { !$0.hasPrefix("ROT OVER TIME") }.filter { !$0.hasPrefix("  http") }
    let wide = prose.filter { line in line.unicodeScalars.count > 50 && !line.contains("sourcekeep show '") }
    #expect(wide.isEmpty, "wrapped at the terminal's 50 columns: \(wide)")
    #expect(lines.contains { $0.hasPrefix("    ") }, "continuation lines are indented: \(result.stdout)")
  }
}
