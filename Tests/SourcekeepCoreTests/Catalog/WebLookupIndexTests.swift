import GRDB
import Testing

@testable import SourcekeepCore

/// The web view's lookups of addresses that are not cited URLs go through an index (migration
/// v9): a request for an unknown address costs a few index probes, not a scan of every link or
/// capture (docs/design.md#web-view).
@Suite struct WebLookupIndexTests {
  @Test func finalURLAndPayloadLookupsUseIndexes() throws {
    let fixture = try ReportFixture()
    let cases: [(sql: String, index: String)] = [
      ("SELECT id, url, state FROM link WHERE final_url = ? ORDER BY id LIMIT 1", "link_final_url"),
      ("SELECT id FROM link WHERE final_url = ? ORDER BY id", "link_final_url"),
      ("SELECT link_id FROM snapshot WHERE final_url = ? ORDER BY id LIMIT 1", "snapshot_final_url"),
      (
        "SELECT warc_file, warc_offset, warc_length FROM snapshot WHERE payload_digest = ? "
          + "AND record_type = 'response' ORDER BY captured_at, id LIMIT 1", "snapshot_payload"
      ),
    ]
    for (sql, index) in cases {
      let plan = try ScaleIndexTests.plan(fixture.catalog, sql, ["https://example.org/x"])
      #expect(plan.contains { $0.contains("INDEX \(index) ") }, "\(sql): \(plan)")
      #expect(!plan.contains { $0.hasPrefix("SCAN") && !$0.contains("INDEX") }, "\(sql): \(plan)")
    }
    // The lookups still answer: a cited URL, and an address nobody cited.
    let cited = try fixture.catalog.read { db in try String.fetchOne(db, sql: "SELECT url FROM link LIMIT 1") }
    #expect(try fixture.catalog.linkID(forURL: try #require(cited)) != nil)
    #expect(try fixture.catalog.linkID(forURL: "https://nobody.example/cited") == nil)
  }
}
