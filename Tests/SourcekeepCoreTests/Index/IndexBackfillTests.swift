import Foundation
import GRDB
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// `sourcekeep index`'s backfill of `archive_record` for captures made before the table
/// existed, on a real catalog and real WARC files: it pages through the snapshots (more than
/// one page here), stores what reads, and names only the first problems, counting the rest.
@Suite struct IndexBackfillTests {
  let dir = TempDirectory()

  @Test func snapshotsAreBackfilledPageByPageAndProblemsAreCappedButCounted() throws {
    let layout = StoreLayout(root: dir.path + "/data")
    try FileManager.default.createDirectory(atPath: layout.root, withIntermediateDirectories: true)
    let catalog = try Catalog(path: layout.catalog)
    let count = IndexBackfill.page + 250
    var digest = "# d 2026年02月17日\n"
    for i in 0..<count {
      if i % 100 == 0 { digest += "\n## 条目 \(i / 100)\n> **来源：** " }
      digest += "[p\(i)](https://example.com/a/\(i)) 、 "
    }
    _ = try catalog.registerDigest(try DigestReader().read(dir.write("2026-02-17.md", digest + "\n")))
    let links = try catalog.linksToCapture()

    // Three captures really on disk; every other snapshot points into a file that is gone.
    let writer = WARCWriter(layout: layout, knownEnd: { catalog.archivedEnd(of: $0) })
    let builder = WARCRecordBuilder()
    var real: [WARCFile.Location] = []
    for n in 0..<3 {
      let x = builder.exchange(
        ArchivedExchange(
          targetURI: links[n].url, requestHead: Array("GET /a/\(n) HTTP/1.1\r\n\r\n".utf8),
          responseHead: Array("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".utf8),
          body: Array("<p>\(n)</p>".utf8), remoteIP: nil, truncated: false, date: Date()), warcinfoID: nil)
      real.append(try writer.write([x.request, x.response])[1])
    }
    let items = links.enumerated().map { n, link in
      (
        check: CheckRecord(linkID: link.id, checkedAt: Date(), status: .ok, httpStatus: 200),
        snapshot: Optional(
          SnapshotRecord(
            capturedAt: Date(), status: .ok, httpStatus: 200, finalURL: link.url, recordType: "response",
            location: n < 3 ? real[n] : WARCFile.Location(file: "warc/gone.warc.gz", offset: Int64(n), length: 10),
            metadataOffset: nil, payloadDigest: "sha1:X\(n)", title: nil, publisher: nil, author: nil,
            published: nil, truncated: false, text: nil))
      )
    }
    _ = try catalog.recordChecks(items, machine: LinkStateMachine(deadAfterFailures: 3, deadAfter: 0)) { _, _, _ in
      nil
    }

    let result = try IndexBackfill.run(catalog: catalog, root: layout.root)
    #expect(result.filled == 3)
    #expect(result.problemCount == count - 3)
    #expect(result.problems.count == IndexBackfill.problemLimit)
    #expect(result.problems.first?.hasPrefix("snapshot 4: ") == true)
    #expect(result.problems.allSatisfy { $0.contains("gone.warc.gz") })
    let stored = try DatabaseQueue(path: layout.catalog).read { db in
      try Row.fetchAll(db, sql: "SELECT warc_file, warc_offset FROM archive_record ORDER BY warc_offset")
    }
    #expect(stored.map { $0["warc_offset"] as Int64 } == real.map(\.offset))
    #expect(stored.allSatisfy { ($0["warc_file"] as String) == real[0].file })
    // Nothing left that reads: a second run finds only the same problems.
    let again = try IndexBackfill.run(catalog: catalog, root: layout.root)
    #expect(again.filled == 0)
    #expect(again.problemCount == count - 3)
  }
}
