import Foundation
import GRDB
import Testing

@testable import SourcekeepCore

/// Every format that names an archived copy also gives the command that opens it
/// (`sourcekeep show 'URL'`), and JSON `snapshot` says how many of its images were archived
/// and whether it has a readable copy, read from the catalog (streamed and in memory alike).
@Suite struct ShowPointerReportTests {
  /// The fixture, with two requisites (one archived) and a readable copy on old-dead's capture.
  static func fixture() throws -> ReportFixture {
    let fixture = try ReportFixture()
    try fixture.catalog.write { db in
      let snapshot = try Int64.fetchOne(
        db,
        sql: """
          SELECT s.id FROM snapshot s JOIN link l ON l.id = s.link_id
          WHERE l.url = 'https://mp.weixin.qq.com/s/old-dead'
          """)!
      try db.execute(
        sql: """
          INSERT INTO requisite (snapshot_id, position, url, status, warc_file, warc_offset, warc_length, fetched_at)
          VALUES (?, 0, 'https://img.example/a.png', 'ok', 'warc/x.warc.gz', 10, 5, 't'),
                 (?, 1, 'https://img.example/b.png', 'gone', NULL, NULL, NULL, 't');
          UPDATE snapshot SET conversion_file = 'warc/x.warc.gz', conversion_offset = 20, conversion_length = 5
          WHERE id = ?;
          """, arguments: [snapshot, snapshot, snapshot])
    }
    return fixture
  }

  @Test func jsonSnapshotCountsRequisitesAndSaysReadable() throws {
    let fixture = try Self.fixture()
    let json = try #require(JSONValue.parse(JSONReport.render(try fixture.model())))
    guard case .array(let links)? = json["links"] else {
      Issue.record("no links")
      return
    }
    let dead = try #require(links.first { $0["url"]?.stringValue == "https://mp.weixin.qq.com/s/old-dead" })
    #expect(dead["snapshot"]?["requisites"]?["captured"]?.intValue == 1)
    #expect(dead["snapshot"]?["requisites"]?["total"]?.intValue == 2)
    #expect(dead["snapshot"]?["readable"] == .bool(true))
    #expect(dead["snapshot"]?["command"]?.stringValue == "sourcekeep show 'https://mp.weixin.qq.com/s/old-dead'")
    let geek = try #require(links.first { $0["url"]?.stringValue == "https://mp.weixin.qq.com/s/geek" })
    #expect(geek["snapshot"]?["requisites"]?["total"]?.intValue == 0)
    #expect(geek["snapshot"]?["readable"] == .bool(false))
    // The streamed report reads the same.
    let out = ReportOutput.memory()
    try fixture.catalog.withReport(filter: ReportFilter(), now: ReportFixture.now, storageDir: ReportFixture.storageDir)
    {
      try ReportFormat.json.write($0, to: out)
    }
    #expect(out.text == JSONReport.render(try fixture.model()))
  }

  @Test func everyFormatGivesTheShowCommandWhereItNamesACopy() throws {
    let model = try ReportFixture().model()
    let command = "sourcekeep show 'https://mp.weixin.qq.com/s/old-dead'"
    #expect(TextReport.render(model).contains("  " + command + "\n"))
    #expect(MarkdownReport.render(model).contains(" · open: `" + command + "`"))
    #expect(CSVReport.render(model).contains("," + command + "\r\n"))
    #expect(
      HTMLReport.render(model).contains(
        "<br><code>sourcekeep show &#39;https://mp.weixin.qq.com/s/old-dead&#39;</code>"))
    // A link never captured gets no command.
    #expect(!TextReport.render(model).contains("sourcekeep show 'https://example.com/chips'"))
  }

  @Test func theCommandQuotesTheURLForTheShell() {
    #expect(
      ReportModel.SnapshotRow.showCommand("https://e.example/a'b;rm -rf ~")
        == "sourcekeep show 'https://e.example/a'\\''b;rm -rf ~'")
  }
}
