import Foundation
import SourcekeepCore
import SourcekeepTestSupport
import Testing

/// Control characters from pages and digests never reach the terminal (issue #13, Low 13):
/// C1 (U+0080–U+009F, e.g. CSI U+009B) and C0 other than tab and newline (ESC, BEL, CR) are
/// stripped from every human-readable output.
@Suite struct TerminalControlCLITests {
  /// Scalars a terminal may act on.
  static func controls(_ text: String) -> [String] {
    text.unicodeScalars.filter { s in
      (s.value < 0x20 && s != "\n" && s != "\t") || (0x7f...0x9f).contains(s.value)
    }.map { String(format: "U+%04X", $0.value) }
  }

  @Test func noOutputCarriesAControlCharacterFromAPageOrADigest() throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let hostile = "\u{9B}31m\u{1B}]0;pwned\u{07}\u{1B}[2J\u{85}\r"
    let page =
      "<html><head><title>Evil\(hostile)Title &#155;2J &#27;[1m</title></head><body><article>"
      + String(repeating: "<p>zebraword paragraph of the article, long enough to be its main text.</p>", count: 8)
      + "</article></body></html>"
    server.serve("/c1", .init(headers: ["Content-Type: text/html; charset=utf-8"], body: Array(page.utf8)))
    let dir = NSTemporaryDirectory() + "sk-c1-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir + "/digests", withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let url = server.url("/c1")
    let gone = server.url("/status/404")
    let digest =
      "# 速递 2026年02月17日\n\n## 条目\(hostile)标题\n\n> **来源：** [出版\(hostile)者](\(url)) 、 "
      + "[另\(hostile)家](\(gone))\n"
    try digest.write(toFile: dir + "/digests/2026-02-17.md", atomically: true, encoding: .utf8)
    try LoopbackConfig.toml().write(toFile: dir + "/sk.toml", atomically: true, encoding: .utf8)
    let run = CommandRunner(workingDirectory: dir)
    let ingest = try run.run(["ingest", "now", "--config", "sk.toml"])
    #expect(ingest.status == 0, "\(ingest.stderr)")

    let commands: [[String]] = [
      ["check", "now", "--all", "--config", "sk.toml"], ["report", "--format", "text", "--config", "sk.toml"],
      ["search", "zebraword", "--config", "sk.toml"], ["journal", "--config", "sk.toml"],
      ["status", "--config", "sk.toml"], ["probe", url, "--config", "sk.toml"],
    ]
    var outputs = [("ingest now", ingest)]
    for args in commands { outputs.append((args.prefix(2).joined(separator: " "), try run.run(args))) }
    // The page's title did arrive (and is shown, cleaned).
    let search = try #require(outputs.first { $0.0 == "search zebraword" }?.1)
    #expect(search.stdout.contains("Evil"), "\(search.stdout)")
    for (name, result) in outputs {
      #expect(result.status == 0, "\(name): \(result.stderr)")
      let text = result.stdout + result.stderr
      #expect(Self.controls(text).isEmpty, "\(name) printed \(Self.controls(text)): \(text)")
    }
  }
}
