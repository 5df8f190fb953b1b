import Foundation
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// The archive pointer a report prints is enough to get the archived page back: a real WARC
/// capture, a link that then dies, and `warcio extract --payload FILE OFFSET` on the pointer
/// taken from the Markdown digest view.
@Suite struct ArchivePointerTests {
  @Test func theMarkdownPointerOfADeadLinkExtractsTheArchivedPage() throws {
    let dir = TempDirectory()
    let layout = StoreLayout(root: dir.path)
    let catalog = try Catalog(path: layout.catalog)
    let path = dir.write(
      "2026-02-17.md", "# 速递 2026年02月17日\n## 千问3.5发布\n> **来源：** [量子位](https://mp.weixin.qq.com/s/abc)\n")
    _ = try catalog.registerDigest(try DigestReader().read(path))
    let link = try #require(try catalog.linksToCapture().first)

    let body = "<html><body><p>千问3.5发布，极致稀疏MoE架构。</p></body></html>"
    let writer = WARCWriter(layout: layout)
    let exchange = ArchivedExchange(
      targetURI: link.url, requestHead: Array("GET /s/abc HTTP/1.1\r\nHost: mp.weixin.qq.com\r\n\r\n".utf8),
      responseHead: Array("HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\n\r\n".utf8),
      body: Array(body.utf8), remoteIP: "127.0.0.1", truncated: false, date: Date())
    let (response, request, payload) = WARCRecordBuilder().exchange(exchange, warcinfoID: writer.warcinfoID)
    let locations = try writer.write([request, response])
    let machine = LinkStateMachine(deadAfterFailures: 3, deadAfter: 0)
    try catalog.recordCheck(
      CheckRecord(linkID: link.id, checkedAt: Date(), status: .ok, httpStatus: 200),
      snapshot: SnapshotRecord(
        capturedAt: Date(), status: .ok, httpStatus: 200, finalURL: link.url, recordType: "response",
        location: locations[1], metadataOffset: nil, payloadDigest: payload, title: "千问3.5发布", publisher: "量子位",
        author: nil, published: nil, truncated: false, text: nil),
      machine: machine, nextCheck: nil)
    for _ in 0..<3 {
      try catalog.recordCheck(
        CheckRecord(linkID: link.id, checkedAt: Date(), status: .soft404, reason: .deleted, httpStatus: 200),
        snapshot: nil, machine: machine, nextCheck: nil)
    }

    var model = try catalog.reportModel(filter: ReportFilter(digest: "2026-02-17"))
    model.storageDir = layout.root
    let markdown = MarkdownReport.render(model)
    #expect(markdown.contains("~~[量子位](https://mp.weixin.qq.com/s/abc)~~"))
    // Take the pointer back out of the text, as the editor would.
    let match = try #require(markdown.firstMatch(of: /`(warc\/[^`#]+)#offset=(\d+)`/))
    let file = layout.root + "/" + String(match.1)
    #expect(markdown.contains("(file://" + file + ")"))
    let extracted = try ExternalTool.run("warcio", ["extract", "--payload", file, String(match.2)])
    #expect(extracted.status == 0, "\(extracted.output)")
    #expect(extracted.output.contains("千问3.5发布，极致稀疏MoE架构。"))
  }
}
