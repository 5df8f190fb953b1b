import Foundation
import GRDB
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// `verify` checks each snapshot's readable-copy pointer: a catalog that points at the wrong
/// record, or at a copy of another page, is a problem (docs/design.md#readable-copies).
struct ConversionPointerTests {
  @Test func verifyCatchesAPointerThatIsNotTheCopy() throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let text = (1...6).map { "第\($0)段：千问3.5从预训练开始就把图像和文字放在一起训练，而不是在语言模型后面再接一个视觉模块。" }
    server.serve(
      "/a",
      .init(
        body: Array(
          "<html><body><article><h1>标题</h1>\(text.map { "<p>\($0)</p>" }.joined())</article></body></html>".utf8)))
    let tmp = TempDirectory(prefix: "sk-conv")
    let dir = tmp.path
    try FileManager.default.createDirectory(atPath: dir + "/digests", withIntermediateDirectories: true)
    try "# 2026年02月17日\n## 条目\n> **来源：** [a](\(server.url("/a")))\n".write(
      toFile: dir + "/digests/2026-02-17.md", atomically: true, encoding: .utf8)
    try LoopbackConfig.toml().write(toFile: dir + "/sk.toml", atomically: true, encoding: .utf8)
    let ingest = try CommandRunner(workingDirectory: dir).run(["ingest", "now", "--config", "sk.toml"])
    #expect(ingest.status == 0, "\(ingest.stderr)")

    let layout = StoreLayout(root: dir + "/data")
    let catalog = try Catalog(path: layout.catalog)
    let snapshots = try catalog.allSnapshots()
    #expect(snapshots.count == 1)
    let conversion = try #require(snapshots.first?.conversion)
    #expect(conversion.file == snapshots[0].location.file && conversion.offset > snapshots[0].location.offset)
    #expect(ArchiveVerifier(layout: layout).verify(snapshots).problems.isEmpty)

    // Point the copy at the response record: verify names the snapshot and the record.
    let db = try DatabaseQueue(path: layout.catalog)
    try db.write { db in
      try db.execute(
        sql: "UPDATE snapshot SET conversion_offset = warc_offset, conversion_length = warc_length")
    }
    let problems = ArchiveVerifier(layout: layout).verify(try catalog.allSnapshots()).problems
    #expect(problems.contains { $0.contains("readable copy") && $0.contains("record is response, not conversion") })
  }
}
