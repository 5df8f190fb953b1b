import Foundation
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// Snapshots in the catalog, search over their text, and `verify` over both — with real
/// WARC files and a real SQLite file, without the fetcher.
@Suite struct SnapshotCatalogTests {
  let dir = TempDirectory()
  var layout: StoreLayout { StoreLayout(root: dir.path) }
  let machine = LinkStateMachine(deadAfterFailures: 3, deadAfter: 0)

  func archive(_ catalog: Catalog, url: String, body: String, title: String) throws -> SnapshotRecord {
    let writer = WARCWriter(layout: layout)
    let x = ArchivedExchange(
      targetURI: url, requestHead: Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8),
      responseHead: Array("HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\n\r\n".utf8),
      body: Array(body.utf8), remoteIP: "127.0.0.1", truncated: false, date: Date())
    let (response, request, payload) = WARCRecordBuilder().exchange(x, warcinfoID: writer.warcinfoID)
    let locations = try writer.write([request, response])
    return SnapshotRecord(
      capturedAt: Date(), status: .ok, httpStatus: 200, finalURL: url, recordType: "response",
      location: locations[1], metadataOffset: nil, payloadDigest: payload, title: title, publisher: "量子位",
      author: nil, published: nil, truncated: false, text: body)
  }

  func seeded() throws -> (Catalog, LinkToFetch) {
    let catalog = try Catalog(path: layout.catalog)
    let path = dir.write("2026-02-17.md", "# d 2026年02月17日\n## 千问\n> **来源：** [量子位](https://mp.weixin.qq.com/s/abc)\n")
    _ = try catalog.registerDigest(try DigestReader().read(path))
    let link = try #require(try catalog.linksToCapture().first)
    return (catalog, link)
  }

  @Test func aRecordedCaptureMovesTheLinkAndPointsAtItsRecord() throws {
    let (catalog, link) = try seeded()
    let snapshot = try archive(catalog, url: link.url, body: "千问3.5发布，混合注意力架构。", title: "千问3.5发布")
    let change = try catalog.recordCheck(
      CheckRecord(linkID: link.id, checkedAt: Date(), status: .ok, httpStatus: 200, etag: "\"v1\""),
      snapshot: snapshot, machine: machine, nextCheck: Date().addingTimeInterval(86400))
    #expect(change.before == .pending)
    #expect(change.after == .alive)
    #expect(try catalog.linksToCapture().isEmpty)
    let model = try catalog.reportModel(filter: ReportFilter())
    let row = try #require(model.links.first)
    #expect(row.snapshot?.warcFile == snapshot.location.file)
    #expect(row.snapshot?.warcOffset == snapshot.location.offset)
    #expect(row.snapshot?.payloadDigest == snapshot.payloadDigest)
    #expect(try catalog.linksToCheck(all: true).first?.etag == "\"v1\"")
    let report = ArchiveVerifier(layout: layout).verify(try catalog.allSnapshots())
    #expect(report.problems.isEmpty, "\(report.problems)")
    #expect(report.snapshotsChecked == 1)
  }

  @Test func searchFindsChineseSubstringsShortAndLong() throws {
    let (catalog, link) = try seeded()
    let snapshot = try archive(catalog, url: link.url, body: "阿里发布千问3.5，极致稀疏MoE架构实现性能超越。", title: "千问3.5发布")
    try catalog.recordCheck(
      CheckRecord(linkID: link.id, checkedAt: Date(), status: .ok, httpStatus: 200), snapshot: snapshot,
      machine: machine, nextCheck: nil)
    let long = try catalog.search("稀疏MoE")
    #expect(long.count == 1)
    #expect(long.first?.snippet.contains("[稀疏MoE]") == true)
    #expect(long.first?.digestDates == ["2026-02-17"])
    #expect(long.first?.url == "https://mp.weixin.qq.com/s/abc")
    #expect(try catalog.search("千问").count == 1)  // two characters: LIKE fallback
    #expect(try catalog.search("不存在的词").isEmpty)
    #expect(try catalog.search("\"; DROP TABLE link; --").isEmpty)
  }

  @Test func verifyNamesACorruptRecordAndAWrongPointer() throws {
    let (catalog, link) = try seeded()
    var snapshot = try archive(catalog, url: link.url, body: "正文内容足够长，可以被压缩。", title: "t")
    snapshot.location.offset += 1  // a pointer into the middle of a member
    try catalog.recordCheck(
      CheckRecord(linkID: link.id, checkedAt: Date(), status: .ok, httpStatus: 200), snapshot: snapshot,
      machine: machine, nextCheck: nil)
    let report = ArchiveVerifier(layout: layout).verify(try catalog.allSnapshots())
    #expect(report.problems.count == 1)
    #expect(report.problems.first?.contains("snapshot 1") == true)
  }

  @Test func failuresCountTowardDeadAndInconclusiveResultsDoNot() throws {
    let (catalog, link) = try seeded()
    for status in [CheckStatus.gone, .blocked, .gone, .gone] {
      try catalog.recordCheck(
        CheckRecord(linkID: link.id, checkedAt: Date(), status: status, httpStatus: status == .gone ? 404 : 200),
        snapshot: nil, machine: machine, nextCheck: nil)
    }
    let row = try #require(try catalog.reportModel(filter: ReportFilter()).links.first)
    #expect(row.state == .dead)
    #expect(row.consecutiveFailures == 3)
    #expect(row.checks == 4)
    #expect(row.deadSince != nil)
  }
}
