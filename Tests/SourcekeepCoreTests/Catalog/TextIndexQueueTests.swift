import Foundation
import GRDB
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// The full-text index's queue (docs/design.md#search), on real SQLite files: a stored text is
/// found by search before and after it is indexed, batches drain the whole queue, a damaged
/// body does not stop it, and a capture run takes what a killed run left queued.
@Suite struct TextIndexQueueTests {
  let dir = TempDirectory()
  let machine = LinkStateMachine(deadAfterFailures: 3, deadAfter: 0)

  func seeded(_ count: Int, path: String? = nil) throws -> (Catalog, [LinkToFetch]) {
    let catalog = try Catalog(path: path ?? dir.path + "/catalog.sqlite")
    var digest = "# d 2026年02月17日\n"
    for i in 0..<count {
      if i % 100 == 0 { digest += "\n## 条目 \(i / 100)\n> **来源：** " }
      digest += "[p\(i)](https://example.com/a/\(i)) 、 "
    }
    _ = try catalog.registerDigest(try DigestReader().read(dir.write("2026-02-17.md", digest + "\n")))
    return (catalog, try catalog.linksToCapture())
  }

  func snapshot(_ link: LinkToFetch, title: String, text: String) -> SnapshotRecord {
    SnapshotRecord(
      capturedAt: Date(), status: .ok, httpStatus: 200, finalURL: link.url, recordType: "response",
      location: WARCFile.Location(file: "warc/t.warc.gz", offset: link.id * 1000, length: 1000),
      metadataOffset: nil, payloadDigest: "sha1:T\(link.id)", title: title, publisher: "量子位", author: nil,
      published: nil, truncated: false, text: text)
  }

  func capture(_ catalog: Catalog, _ links: [LinkToFetch], text: (Int) -> String) throws {
    let items = links.enumerated().map { i, link in
      (
        check: CheckRecord(linkID: link.id, checkedAt: Date(), status: .ok, httpStatus: 200),
        snapshot: Optional(snapshot(link, title: "标题\(i)", text: text(i)))
      )
    }
    _ = try catalog.recordChecks(items, machine: machine) { _, _, _ in nil }
  }

  /// Snapshot ids the trigram index itself answers for `term` (not search's queue check).
  func indexed(_ path: String, _ term: String) throws -> [Int64] {
    try DatabaseQueue(path: path).read { db in
      try Int64.fetchAll(
        db, sql: "SELECT rowid FROM snapshot_fts WHERE snapshot_fts MATCH ? ORDER BY rowid",
        arguments: [Catalog.trigramQuery(term)])
    }
  }

  @Test func aCapturedTextIsFoundWhileQueuedAndOnceIndexed() throws {
    let path = dir.path + "/catalog.sqlite"
    let (catalog, links) = try seeded(2, path: path)
    try capture(catalog, [links[0]]) { _ in "阿里发布千问3.5，极致稀疏MoE架构实现性能超越闭源模型。" }
    #expect(try catalog.queuedTextCount() == 1)
    #expect(try indexed(path, "极致稀疏").isEmpty)
    #expect(try catalog.search("极致稀疏").map(\.url) == [links[0].url])
    #expect(try catalog.search("标题0").map(\.url) == [links[0].url])

    #expect(try catalog.indexQueuedTexts() == 1)
    #expect(try catalog.queuedTextCount() == 0)
    #expect(try indexed(path, "极致稀疏").count == 1)
    #expect(try indexed(path, "标题0").count == 1)  // the title is indexed with the text
    #expect(try catalog.search("极致稀疏").map(\.url) == [links[0].url])  // once, not twice
    #expect(try catalog.indexQueuedTexts() == 0)
  }

  @Test func textsHeldInMemoryAreIndexedAndThoseTakenMeanwhileAreSkipped() throws {
    let path = dir.path + "/catalog.sqlite"
    let (catalog, links) = try seeded(2, path: path)
    let texts = ["稀疏注意力的推理成本。", "智能体评测的开源数据。"]
    try capture(catalog, links) { texts[$0] }
    let ids = try DatabaseQueue(path: path).read { db in
      try Int64.fetchAll(db, sql: "SELECT snapshot_id FROM snapshot_fts_queue ORDER BY snapshot_id")
    }
    let held = zip(ids, texts).map { Catalog.QueuedText(snapshot: $0, title: "t", publisher: "p", text: $1) }
    // Another process took the first from the stored blob before this one indexed its batch.
    try DatabaseQueue(path: path).write { db in
      try db.execute(sql: "DELETE FROM snapshot_fts_queue WHERE snapshot_id = ?", arguments: [ids[0]])
      try db.execute(
        sql: "INSERT INTO snapshot_fts (rowid, title, publisher, body) VALUES (?, 't', 'p', ?)",
        arguments: [ids[0], texts[0]])
    }
    try catalog.indexTexts(held)
    #expect(try catalog.queuedTextCount() == 0)
    #expect(try indexed(path, "推理成本") == [ids[0]])
    #expect(try indexed(path, "开源数据") == [ids[1]])
    #expect(try catalog.search("推理成本").count == 1)
  }

  /// The catalog indexes through SKSQLite's trigram tokenizer, which hands FTS5 each distinct
  /// trigram of a text once; that is only right for tables without positions. Every trigram
  /// table in the schema is detail=none, and the index equals the one SQLite's own tokenizer
  /// builds from the same texts on a plain connection.
  @Test func theTrigramIndexIsDetailNoneAndEqualsSQLitesOwn() throws {
    let path = dir.path + "/catalog.sqlite"
    let (catalog, links) = try seeded(40, path: path)
    let text = { (i: Int) in String(repeating: "第\(i)篇 Open-Source 模型的推理成本 DeepSeek ", count: 3 + i % 7) }
    try capture(catalog, links, text: text)
    #expect(try catalog.indexQueuedTexts() == 40)
    let plain = try DatabaseQueue(path: path)
    let (schemas, differences, terms) = try plain.writeWithoutTransaction { db in
      let schemas = try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE sql LIKE '%fts5%trigram%'")
      try db.execute(
        sql: """
          CREATE VIRTUAL TABLE temp.expected USING fts5(title, publisher, body, tokenize = 'trigram', content = '', detail = none);
          CREATE VIRTUAL TABLE temp.expected_vocab USING fts5vocab(temp, expected, 'row');
          CREATE VIRTUAL TABLE temp.catalog_vocab USING fts5vocab(main, snapshot_fts, 'row');
          """)
      let rows = try Row.fetchAll(
        db,
        sql:
          "SELECT s.id, s.title, s.publisher FROM snapshot s JOIN snapshot_body b ON b.snapshot_id = s.id ORDER BY s.id"
      )
      for (i, row) in rows.enumerated() {
        try db.execute(
          sql: "INSERT INTO temp.expected (rowid, title, publisher, body) VALUES (?, ?, ?, ?)",
          arguments: [row["id"], row["title"], row["publisher"], text(i)])
      }
      let differences =
        try Int.fetchOne(
          db,
          sql: """
            SELECT (SELECT COUNT(*) FROM (
                      SELECT term, doc FROM temp.expected_vocab EXCEPT SELECT term, doc FROM temp.catalog_vocab))
                 + (SELECT COUNT(*) FROM (
                      SELECT term, doc FROM temp.catalog_vocab EXCEPT SELECT term, doc FROM temp.expected_vocab))
            """) ?? -1
      return (schemas, differences, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM temp.catalog_vocab") ?? 0)
    }
    #expect(schemas.count == 1)
    #expect(schemas.allSatisfy { $0.replacingOccurrences(of: " ", with: "").contains("detail=none") })
    #expect(terms > 100)
    #expect(differences == 0)
  }

  @Test func batchesDrainAQueueLongerThanOneBatch() throws {
    let path = dir.path + "/catalog.sqlite"
    let count = Catalog.indexBatch * 2 + 17
    let (catalog, links) = try seeded(count, path: path)
    try capture(catalog, links) { i in "第\(i)篇：开源模型的推理成本。" }
    #expect(try catalog.queuedTextCount() == count)
    #expect(try catalog.indexQueuedTexts() == count)
    #expect(try catalog.queuedTextCount() == 0)
    #expect(try indexed(path, "推理成本").count == count)
    #expect(try indexed(path, "第\(count - 1)篇").count == 1)
  }

  @Test func aDamagedBodyIsIndexedByItsTitleAndTheQueueGoesOn() throws {
    let path = dir.path + "/catalog.sqlite"
    let (catalog, links) = try seeded(3, path: path)
    try capture(catalog, links) { i in ["春晚机器人表演。", "稀疏注意力的成本。", "智能体评测数据。"][i] }
    let first = try DatabaseQueue(path: path).write { db in
      let id = try Int64.fetchOne(db, sql: "SELECT MIN(snapshot_id) FROM snapshot_fts_queue") ?? -1
      try db.execute(sql: "UPDATE snapshot_body SET body = x'1f8b0800deadbeef' WHERE snapshot_id = ?", arguments: [id])
      return id
    }
    #expect(try catalog.indexQueuedTexts() == 3)
    #expect(try catalog.queuedTextCount() == 0)
    #expect(try indexed(path, "标题0") == [first])
    #expect(try indexed(path, "春晚机器").isEmpty)
    #expect(try catalog.search("稀疏注意力").map(\.url) == [links[1].url])
    #expect(try catalog.search("智能体评测").map(\.url) == [links[2].url])
  }

  @Test func compactIndexesWhatIsQueued() throws {
    let path = dir.path + "/catalog.sqlite"
    let (catalog, links) = try seeded(2, path: path)
    try capture(catalog, links) { i in "第\(i)篇：模型架构。" }
    _ = try catalog.compact()
    #expect(try catalog.queuedTextCount() == 0)
    #expect(try indexed(path, "模型架构").count == 2)
  }
}

/// A capture run indexes its texts by the end of the run, and takes the texts a killed run
/// committed but never indexed (on a real loopback server and a real store).
@Suite struct TextIndexRunTests {
  let dir = TempDirectory()

  @Test func aRunIndexesItsOwnTextsAndThoseAKilledRunLeftQueued() async throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let article = { (n: Int) in
      Array(
        """
        <!DOCTYPE html><html><head><meta charset="utf-8"><title>文章\(n)</title></head><body><article>
        <h1>文章\(n)</h1><p>\(String(repeating: "开源模型的推理成本在下降，稀疏注意力让长上下文更便宜。", count: 12))</p>
        <p>编号\(n)号的独有段落。</p></article></body></html>
        """.utf8)
    }
    for n in 0..<3 { server.serve("/a/\(n)", FixtureServer.StaticPage(body: article(n))) }
    let layout = StoreLayout(root: dir.path + "/data")
    try FileManager.default.createDirectory(atPath: layout.root, withIntermediateDirectories: true)
    let catalog = try Catalog(path: layout.catalog)
    let journal = Journal(directory: layout.journalDirectory)
    let links = (0..<3).map { n in "[p\(n)](" + server.url("/a/\(n)") + ")" }.joined(separator: " 、 ")
    let digest = dir.write("2026-03-09.md", "# d 2026年03月09日\n\n## 条目\n> **来源：** \(links)\n")
    _ = try catalog.registerDigest(try DigestReader().read(digest))

    // What a run killed between its commit and its indexing leaves: a stored, queued text.
    let orphan = try #require(try catalog.linksToCapture().first { $0.url.hasSuffix("/a/0") })
    _ = try catalog.recordChecks(
      [
        (
          check: CheckRecord(linkID: orphan.id, checkedAt: Date(), status: .ok, httpStatus: 200),
          snapshot: SnapshotRecord(
            capturedAt: Date(), status: .ok, httpStatus: 200, finalURL: orphan.url, recordType: "response",
            location: WARCFile.Location(file: "warc/t.warc.gz", offset: 0, length: 10), metadataOffset: nil,
            payloadDigest: "sha1:ORPHAN", title: "孤儿", publisher: nil, author: nil, published: nil, truncated: false,
            text: "被中断的运行留下的孤儿文本。")
        )
      ], machine: LinkStateMachine(deadAfterFailures: 3, deadAfter: 0)
    ) { _, _, _ in nil }
    #expect(try catalog.queuedTextCount() == 1)

    var config = Config()
    config.storage.dir = layout.root
    config.fetch.allowPrivateNetworks = true
    config.fetch.perHostIntervalMs = 0
    config.capture.requisites = false
    let fetcher = try Fetcher(config: config.fetch)
    let runner = LinkRunner(
      mode: .capture, config: config, fetcher: fetcher, catalog: catalog, journal: journal, layout: layout,
      configDigest: "sha1:TEST")
    let counts = await runner.run(try catalog.linksToCheck(all: true)) { _, _ in }
    await fetcher.shutdown()
    #expect(counts.total == 3)
    #expect(try catalog.queuedTextCount() == 0)
    let path = layout.catalog
    let probe = try DatabaseQueue(path: path)
    let indexed = { (term: String) in
      try probe.read { db in
        try Int.fetchOne(
          db, sql: "SELECT COUNT(*) FROM snapshot_fts WHERE snapshot_fts MATCH ?",
          arguments: [Catalog.trigramQuery(term)]) ?? 0
      }
    }
    #expect(try indexed("孤儿文本") == 1)
    for n in 0..<3 { #expect(try indexed("编号\(n)号的独有") == 1, "article \(n)") }
  }
}
