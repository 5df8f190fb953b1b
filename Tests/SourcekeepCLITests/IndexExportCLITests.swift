import Foundation
import SourcekeepTestSupport
import Testing

/// `sourcekeep index` and `sourcekeep export wacz` as a user runs them: output, exit codes,
/// messages naming what is wrong (docs/design.md#cdxj-index, #wacz-export).
@Suite(.serialized) struct IndexExportCLITests {
  @Test func indexAndExportRunOnAStoreAndRefuseBadArguments() throws {
    let server = try FixtureServer()
    defer { server.stop() }
    server.serve("/a", .init(body: Array(FixtureServer.okPage.utf8)))
    let dir = TempDirectory()
    _ = dir.write("digests/2026-03-09.md", "# 2026年03月09日\n\n## 条目\n> **来源：** [a](\(server.url("/a")))\n")
    _ = dir.write(
      "sourcekeep.toml",
      "[digests]\npaths = [\"digests\"]\n[storage]\ndir = \"data\"\n[fetch]\nallow_private_networks = true\n")
    let runner = CommandRunner(workingDirectory: dir.path)
    #expect(try runner.run(["ingest", "now", "--config", "sourcekeep.toml"]).status == 0)

    let index = try runner.run(["index", "--config", "sourcekeep.toml", "--json"])
    #expect(index.status == 0, "\(index.stderr)")
    #expect(index.stdout.contains("\"lines\" : 2") || index.stdout.contains("\"lines\": 2"), "\(index.stdout)")
    let lines = try String(contentsOfFile: dir.file("data/indexes/index.cdxj"), encoding: .utf8)
    #expect(lines.contains("\"url\": \"\(server.url("/a"))\""))

    let export = try runner.run(["export", "wacz", "--config", "sourcekeep.toml", "--output", "out.wacz"])
    #expect(export.status == 0, "\(export.stderr)")
    #expect(export.stdout.contains("1 page(s)"))
    let validate = try ExternalTool.run("wacz", ["validate", "-f", dir.file("out.wacz")])
    #expect(validate.status == 0, "\(validate.output)")

    let unknown = try runner.run([
      "export", "wacz", "--config", "sourcekeep.toml", "--output", "x.wacz", "--digest", "1999-01-01",
    ])
    #expect(unknown.status == 64)
    #expect(unknown.stderr.contains("--digest 1999-01-01"))
    let noFolder = try runner.run(["export", "wacz", "--config", "sourcekeep.toml", "--output", "nope/x.wacz"])
    #expect(noFolder.status == 64)
    #expect(noFolder.stderr.contains("nope"))
    #expect(!FileManager.default.fileExists(atPath: dir.file("x.wacz")))
  }
}
