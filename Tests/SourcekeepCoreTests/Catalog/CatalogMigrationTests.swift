import Foundation
import GRDB
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// A catalog written by the v2 schema (text in the FTS5 table's own content) opens, moves
/// its texts to compressed bodies and the contentless index, and stays searchable.
@Suite struct CatalogMigrationTests {
  let dir = TempDirectory()
  var path: String { dir.path + "/catalog.sqlite" }

  let qwen = "阿里发布千问3.5，极致稀疏MoE架构实现性能超越闭源模型。"
  let robots = String(repeating: "宇树科技的机器人在春晚舞台上完成了高难度动作。", count: 300)

  /// Rows as v2's `recordCheck` wrote them: two responses with text (one without a title),
  /// and a revisit, which has none.
  func writeV2Catalog() throws {
    let queue = try DatabaseQueue(path: path)
    try CatalogMigrations.migrator.migrate(queue, upTo: "v2-snapshot-text")
    try queue.write { db in
      try db.execute(
        sql: """
          INSERT INTO digest (id, path, name, content_hash, date, date_source, first_read, last_changed)
          VALUES (1, '/d/2026-02-17.md', '2026-02-17.md', 'h', '2026-02-17', 'heading', 't', 't');
          INSERT INTO link (id, url, scheme, host, state, first_seen) VALUES
            (1, 'https://mp.weixin.qq.com/s/abc', 'https', 'mp.weixin.qq.com', 'alive', 't'),
            (2, 'https://mp.weixin.qq.com/s/def', 'https', 'mp.weixin.qq.com', 'alive', 't');
          INSERT INTO citation (digest_id, link_id, role, publisher, raw_url, line, position) VALUES
            (1, 1, 'source', '量子位', 'https://mp.weixin.qq.com/s/abc', 3, 0),
            (1, 2, 'source', '量子位', 'https://mp.weixin.qq.com/s/def', 3, 1);
          INSERT INTO snapshot (id, link_id, captured_at, status, warc_file, warc_offset, warc_length,
            payload_digest, title, publisher, record_type) VALUES
            (1, 1, '2026-02-17T01:00:00Z', 'ok', 'warc/a.warc.gz', 0, 10, 'sha1:A', '千问3.5发布', '量子位', 'response'),
            (2, 2, '2026-02-17T01:00:01Z', 'ok', 'warc/a.warc.gz', 10, 10, 'sha1:B', NULL, '量子位', 'response'),
            (3, 1, '2026-02-18T01:00:00Z', 'ok', 'warc/a.warc.gz', 20, 10, 'sha1:A', '千问3.5发布', '量子位', 'revisit');
          """)
      try db.execute(
        sql:
          "INSERT INTO snapshot_text (rowid, title, publisher, body) VALUES (1, '千问3.5发布', '量子位', ?), (2, '', '量子位', ?)",
        arguments: [qwen, robots])
    }
  }

  @Test func aV2CatalogWithTextsMigratesAndStaysSearchable() throws {
    try writeV2Catalog()
    let catalog = try Catalog(path: path)

    let long = try catalog.search("稀疏MoE")
    #expect(long.map(\.url) == ["https://mp.weixin.qq.com/s/abc"])
    #expect(long.first?.snippet == "阿里发布千问3.5，极致[稀疏MoE]架构实现性能超越闭源模型。")
    #expect(long.first?.digestDates == ["2026-02-17"])
    #expect(try catalog.search("moe架构").count == 1)
    #expect(try catalog.search("春晚舞台").map(\.url) == ["https://mp.weixin.qq.com/s/def"])
    #expect(try catalog.search("千问3.5发布").count == 1)  // title, through the index
    #expect(try catalog.search("千问").count == 1)  // two characters: the scan
    #expect(try catalog.search("春晚").map(\.url) == ["https://mp.weixin.qq.com/s/def"])

    let references = try catalog.linksToCheck(all: true).map { try catalog.referenceText(for: $0) }
    #expect(references == [qwen, robots])

    let queue = try DatabaseQueue(path: path)
    try queue.read { db in
      #expect(try db.tableExists("snapshot_text") == false)
      #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM snapshot_body") == 2)
      // Vacuumed: v2's copy of the texts does not stay in the file as free pages.
      #expect(try Int.fetchOne(db, sql: "PRAGMA freelist_count") == 0)
      // Stored compressed: the repetitive body takes a fraction of its UTF-8 size.
      let stored = try Int.fetchOne(db, sql: "SELECT length(body) FROM snapshot_body WHERE snapshot_id = 2") ?? 0
      #expect(stored > 0 && stored < robots.utf8.count / 10)
    }
  }

  @Test func captureAfterTheMigrationJoinsTheSameIndex() throws {
    try writeV2Catalog()
    let catalog = try Catalog(path: path)
    _ = try catalog.registerDigest(
      try DigestReader().read(
        dir.write("2026-02-18.md", "# d 2026年02月18日\n## x\n> **来源：** [a](https://example.com/new)\n")))
    let link = try #require(try catalog.linksToCapture().first)
    try catalog.recordCheck(
      CheckRecord(linkID: link.id, checkedAt: Date(), status: .ok, httpStatus: 200),
      snapshot: SnapshotRecord(
        capturedAt: Date(), status: .ok, httpStatus: 200, finalURL: nil, recordType: "response",
        location: WARCFile.Location(file: "warc/b.warc.gz", offset: 0, length: 10), metadataOffset: nil,
        payloadDigest: "sha1:C", title: "新文章", publisher: "机器之心", author: nil, published: nil, truncated: false,
        text: "稀疏MoE架构的又一篇报道。"),
      machine: LinkStateMachine(deadAfterFailures: 3, deadAfter: 0), nextCheck: nil)
    #expect(
      Set(try catalog.search("稀疏MoE").map(\.url)) == ["https://mp.weixin.qq.com/s/abc", "https://example.com/new"])
  }
}
