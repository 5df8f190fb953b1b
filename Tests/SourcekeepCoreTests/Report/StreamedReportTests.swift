import Foundation
import GRDB
import Testing

@testable import SourcekeepCore

/// The streamed report (`Catalog.withReport`: SQL aggregates, links through cursors) writes
/// exactly the bytes of the in-memory model's report, in every format and for every filter.
@Suite struct StreamedReportTests {
  static let filters = [
    ReportFilter(), ReportFilter(digest: "2026-02-17"), ReportFilter(digest: "2026-01-10.md"),
    ReportFilter(states: [.dead, .failing]), ReportFilter(states: [.alive]),
    ReportFilter(digest: "2026-02-17", states: [.drifted, .pending]), ReportFilter(digest: "no-such-digest"),
  ]

  static func streamed(
    _ fixture: ReportFixture, _ filter: ReportFilter, _ format: ReportFormat, publicURL: String? = nil
  ) throws -> String {
    let out = ReportOutput.memory()
    try fixture.catalog.withReport(
      filter: filter, now: ReportFixture.now, storageDir: ReportFixture.storageDir, publicURL: publicURL
    ) {
      try format.write($0, to: out)
    }
    try out.finish()
    return out.text
  }

  @Test(arguments: ReportFormat.allCases)
  func streamedEqualsInMemoryByteForByte(_ format: ReportFormat) throws {
    let fixture = try ReportFixture()
    for filter in Self.filters {
      for publicURL in [nil, "https://archive.example.org"] {
        var model = try fixture.model(filter)
        model.publicURL = publicURL
        let memory = ReportOutput.memory()
        format.write(model, to: memory)
        let streamed = try Self.streamed(fixture, filter, format, publicURL: publicURL)
        #expect(streamed == memory.text, "\(format) \(filter.digest ?? "-") \(filter.states) \(publicURL ?? "-")")
        #expect(!streamed.isEmpty)
      }
    }
  }

  @Test func streamedMatchesTheGoldenFiles() throws {
    let fixture = try ReportFixture()
    let cases: [(String, ReportFilter, ReportFormat)] = [
      ("report.txt", ReportFilter(), .text), ("report.md", ReportFilter(), .markdown),
      ("report.csv", ReportFilter(), .csv), ("digest-2026-02-17.md", ReportFilter(digest: "2026-02-17"), .markdown),
    ]
    for (name, filter, format) in cases {
      let golden = try String(contentsOf: Golden.directory.appendingPathComponent(name), encoding: .utf8)
      #expect(try Self.streamed(fixture, filter, format) == golden, "\(name)")
    }
  }

  @Test func summaryAggregatesEqualTheModelsCounts() throws {
    let fixture = try ReportFixture()
    for filter in Self.filters {
      let model = try fixture.model(filter).summary
      let sql = try fixture.catalog.withReport(filter: filter, now: ReportFixture.now) { report in
        let s = report.summary
        return [s.citations, s.sourceCitations, s.links, s.entries, s.attention, s.publishers.count, s.domains.count]
      }
      #expect(
        sql == [
          model.citations, model.sourceCitations, model.links, model.entries, model.attention, model.publishers.count,
          model.domains.count,
        ])
    }
  }

  @Test func aFileOutputWritesEverythingInPieces() throws {
    let fixture = try ReportFixture()
    let path = fixture.dir.path + "/report.json"
    #expect(FileManager.default.createFile(atPath: path, contents: nil))
    let handle = try #require(FileHandle(forWritingAtPath: path))
    let out = ReportOutput(handle: handle)
    try fixture.catalog.withReport(filter: ReportFilter(), now: ReportFixture.now) {
      try ReportFormat.json.write($0, to: out)
    }
    try out.finish()
    try handle.close()
    let written = try String(contentsOfFile: path, encoding: .utf8)
    #expect(
      written == JSONReport.render(try fixture.catalog.reportModel(filter: ReportFilter(), now: ReportFixture.now)))
    #expect(JSONValue.parse(written)?["schema"]?.stringValue == "sourcekeep.report/1")
  }

  /// The report reads each link's preserving snapshot in its own row (a join), not by a query
  /// per link: it picks the capture `Catalog.preservingSnapshot` picks, with the same fields.
  @Test func joinedSnapshotsEqualThePerLinkQuery() throws {
    let fixture = try ReportFixture()
    let pairs = try fixture.catalog.read { db in
      let scope = try CatalogReport.Scope(db, filter: ReportFilter())
      let cursor = try Row.fetchCursor(db, sql: scope.linksSQL())
      var out: [(ReportModel.SnapshotRow?, ReportModel.SnapshotRow?, LinkState)] = []
      while let row = try cursor.next() {
        let link = try scope.linkRow(db, row)
        let id: Int64 = row[0]
        out.append((link.snapshot, try Catalog.preservingSnapshot(db, linkID: id, state: link.state), link.state))
      }
      return out
    }
    #expect(pairs.count == 9)
    #expect(pairs.contains { $0.2 == .drifted && $0.0 != nil })
    for (joined, queried, state) in pairs {
      #expect(joined?.capturedAt == queried?.capturedAt, "\(state)")
      #expect(joined?.warcFile == queried?.warcFile)
      #expect(joined?.warcOffset == queried?.warcOffset)
      #expect(joined?.payloadDigest == queried?.payloadDigest)
      #expect(joined?.title == queried?.title)
      #expect(joined?.truncated == queried?.truncated)
      #expect(joined?.readable == queried?.readable)
      #expect(joined?.requisitesTotal == queried?.requisitesTotal)
      #expect(joined?.requisitesCaptured == queried?.requisitesCaptured)
    }
  }
}
