import Foundation
import GRDB
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// The scale migration (v6): counts kept by triggers equal a recount whatever writes the
/// catalog, an older catalog gets them on upgrade, and the queries that must not grow with
/// the catalog go through an index (EXPLAIN QUERY PLAN), never a scan plus a sort.
@Suite struct ScaleIndexTests {
  /// The tallies, and the same numbers counted from the tables.
  static func tallyAndRecount(_ catalog: Catalog) throws -> (tally: [String: Int], recount: [String: Int]) {
    let states = try catalog.linkCountsByState()
    let totals = try catalog.totals()
    var tally = ["digests": totals.digests, "entries": totals.entries, "citations": totals.citations]
    tally["links"] = totals.links
    for (state, n) in states { tally["state:" + state.rawValue] = n }
    let recount = try catalog.read { db in
      var out: [String: Int] = [:]
      for table in ["digest": "digests", "entry": "entries", "citation": "citations", "link": "links"] {
        out[table.value] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.key)") ?? -1
      }
      for state in LinkState.allCases {
        out["state:" + state.rawValue] =
          try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM link WHERE state = ?", arguments: [state.rawValue]) ?? -1
      }
      return out
    }
    return (tally, recount)
  }

  @Test func talliesEqualARecountAfterChecksEditsAndDeletes() throws {
    let fixture = try ReportFixture()
    var counts = try Self.tallyAndRecount(fixture.catalog)
    #expect(counts.tally == counts.recount)
    #expect(counts.tally["links"] == 9)
    #expect(counts.tally["state:dead"] == 1)

    // An edited digest replaces its entries and citations and adds a link.
    let edited = fixture.dir.write(
      "2026-02-10.md",
      "# 🤖 AI行业速递 - 2026年02月10日\n\n## 新条目\n\n> **来源：** [36氪](https://36kr.com/p/2)\n\n## 另一条\n\n"
        + "> **来源：** [36氪](https://36kr.com/p/1)\n")
    _ = try fixture.catalog.registerDigest(try DigestReader().read(edited), at: ReportFixture.now)
    counts = try Self.tallyAndRecount(fixture.catalog)
    #expect(counts.tally == counts.recount)
    #expect(counts.tally["links"] == 10)

    // Deleting a digest cascades to its entries and citations; the triggers see those too.
    _ = try fixture.catalog.write { db in
      try db.execute(sql: "DELETE FROM digest WHERE name = '2026-01-10.md'")
    }
    counts = try Self.tallyAndRecount(fixture.catalog)
    #expect(counts.tally == counts.recount)
    #expect(counts.tally["digests"] == 2)
  }

  @Test func anOlderCatalogGetsItsTalliesOnUpgrade() throws {
    let dir = TempDirectory()
    let path = dir.path + "/catalog.sqlite"
    let queue = try DatabaseQueue(path: path)
    try CatalogMigrations.migrator.migrate(queue, upTo: "v3-snapshot-body")
    try queue.write { db in
      try db.execute(
        sql: """
          INSERT INTO digest (id, path, name, content_hash, date, date_source, first_read, last_changed)
          VALUES (1, '/d/2026-02-17.md', '2026-02-17.md', 'h', '2026-02-17', 'heading', 't', 't');
          INSERT INTO entry (id, digest_id, position, title) VALUES (1, 1, 0, 'e');
          INSERT INTO link (id, url, scheme, host, state, first_seen) VALUES
            (1, 'https://a.example/1', 'https', 'a.example', 'alive', 't'),
            (2, 'https://a.example/2', 'https', 'a.example', 'dead', 't'),
            (3, 'https://a.example/3', 'https', 'a.example', 'dead', 't');
          INSERT INTO citation (digest_id, entry_id, link_id, role, raw_url, line, position) VALUES
            (1, 1, 1, 'source', 'x', 3, 0), (1, 1, 2, 'source', 'x', 3, 1), (1, 1, 3, 'mention', 'x', 4, 2);
          """)
    }
    let catalog = try Catalog(path: path)
    let counts = try Self.tallyAndRecount(catalog)
    #expect(counts.tally == counts.recount)
    #expect(counts.tally["state:dead"] == 2)
    #expect(counts.tally["citations"] == 3)
  }

  /// The plan's detail lines for `sql`.
  static func plan(_ catalog: Catalog, _ sql: String, _ arguments: StatementArguments = []) throws -> [String] {
    try catalog.read { db in
      try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
    }
  }

  @Test func checkSelectionWalksTheDueIndexWithoutSorting() throws {
    let fixture = try ReportFixture()
    for all in [false, true] {
      let sql = Catalog.checkSelection(all: all, urls: nil)
      let plan = try Self.plan(fixture.catalog, sql, all ? [] : ["2026-02-18T12:00:00.000Z"])
      #expect(plan.contains { $0.contains("USING INDEX link_due") }, "\(plan)")
      #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
    }
    // Each link fetched looks up its newest snapshot (docs/design.md#revisits-on-re-check)
    // through snapshot(link_id, captured_at), without a sort.
    let newest = try Self.plan(fixture.catalog, Catalog.newestSnapshotSQL, [1])
    #expect(newest.contains { $0.contains("USING INDEX snapshot_link") }, "\(newest)")
    #expect(!newest.contains { $0.contains("TEMP B-TREE") }, "\(newest)")
    // And it still picks what it did: due links, never-scheduled first.
    let due = try fixture.catalog.linksToCheck(now: ReportFixture.now)
    let all = try fixture.catalog.linksToCheck(now: ReportFixture.now, all: true)
    #expect(due.count <= all.count && all.count == 9)
  }

  @Test func reportQueriesUseIndexes() throws {
    let fixture = try ReportFixture()
    let scope = try fixture.catalog.read { db in try CatalogReport.Scope(db, filter: ReportFilter()) }
    // Attention lists: one state at a time through link(state), already in id order.
    let attention = try Self.plan(fixture.catalog, scope.linksSQL(inState: true), ["dead"])
    #expect(attention.contains { $0.contains("USING") && $0.contains("INDEX link_state") }, "\(attention)")
    #expect(!attention.contains { $0.contains("TEMP B-TREE") }, "\(attention)")
    // Every link: the table in rowid order, its citations through citation(link_id).
    let links = try Self.plan(fixture.catalog, scope.linksSQL())
    #expect(!links.contains { $0.contains("TEMP B-TREE") }, "\(links)")
    #expect(links.contains { $0.contains("citation_link") }, "\(links)")
    // Each link's preserving snapshot: looked up by rowid after a search of snapshot(link_id, …).
    #expect(links.contains { $0.contains("SEARCH s USING INTEGER PRIMARY KEY") }, "\(links)")
    #expect(links.contains { $0.contains("snapshot_link") }, "\(links)")
    #expect(!links.contains { $0.contains("SCAN s") || $0.contains("SCAN p") }, "\(links)")
    // Status: the tally table's primary key, a handful of rows.
    let status = try Self.plan(fixture.catalog, "SELECT name, n FROM tally WHERE name LIKE 'state:%'")
    #expect(status.allSatisfy { $0.contains("tally") }, "\(status)")
  }

  /// The CDXJ index: a whole rewrite walks archive_record_cdx in line order; the recent file's
  /// slice of new rows is found by id range (not by reading every row through that index).
  @Test func indexLinesOfRecentRowsAreFoundByID() throws {
    let fixture = try ReportFixture()
    let plans: [[String]] = try [Int64(0), 5].map { after in
      try Self.plan(fixture.catalog, Catalog.indexLinesSQL(afterID: after), [after, 10])
    }
    #expect(plans[0].contains { $0.contains("archive_record_cdx") }, "\(plans[0])")
    #expect(!plans[0].contains { $0.contains("TEMP B-TREE") }, "\(plans[0])")
    #expect(plans[1].contains { $0.contains("INTEGER PRIMARY KEY") }, "\(plans[1])")
    #expect(!plans[1].contains { $0.contains("archive_record_cdx") }, "\(plans[1])")
  }
}
