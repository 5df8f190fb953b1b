import Foundation
import Testing

@testable import SourcekeepCore

/// `/metrics` counts only the rows added since the last scrape (`MetricsTally`); carried-on counts
/// must equal a fresh count of the whole catalog.
@Suite struct MetricsTallyTests {
  static func flat(_ m: CatalogMetrics) -> String {
    let failures = m.failuresByReason.map { "\($0.status)/\($0.reason)=\($0.count)" }
    return [
      m.linksByState.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key)=\($0.value)" }.joined(
        separator: ","),
      m.capturesByType.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","),
      m.checksByStatus.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","),
      failures.joined(separator: ","), "\(m.digests) \(m.citations) \(m.lastCheck ?? "-") \(m.lastCapture ?? "-")",
    ].joined(separator: " | ")
  }

  @Test func carriedOnCountsEqualAFreshCount() throws {
    let fixture = try ReportFixture()
    var tally = MetricsTally()
    let first = try fixture.catalog.metrics(continuing: &tally)
    #expect(Self.flat(first) == Self.flat(try fixture.catalog.metrics()))
    #expect(first.checksByStatus.values.reduce(0, +) == 14)

    // More checks and a capture land between two scrapes.
    let link = try #require(try fixture.catalog.linksToCheck(all: true).first)
    let machine = LinkStateMachine(deadAfterFailures: 3, deadAfter: 48 * 3600)
    for (i, status) in [CheckStatus.unreachable, .serverError, .ok].enumerated() {
      let at = ReportFixture.date("2026-03-0\(i + 1)T08:00:00Z")
      let snapshot =
        status == .ok
        ? SnapshotRecord(
          capturedAt: at, status: .ok, httpStatus: 200, finalURL: link.url, recordType: "revisit",
          location: WARCFile.Location(file: "warc/x.warc.gz", offset: 77, length: 10), metadataOffset: nil,
          payloadDigest: "sha1:X", title: "t", publisher: nil, author: nil, published: nil, truncated: false,
          text: nil) : nil
      try fixture.catalog.recordCheck(
        CheckRecord(
          linkID: link.id, checkedAt: at, status: status, reason: status == .unreachable ? .dns : nil,
          httpStatus: status == .unreachable ? nil : 200),
        snapshot: snapshot, machine: machine, nextCheck: nil)
    }
    let second = try fixture.catalog.metrics(continuing: &tally)
    let fresh = try fixture.catalog.metrics()
    #expect(Self.flat(second) == Self.flat(fresh))
    #expect(second.checksByStatus.values.reduce(0, +) == 17)
    #expect(second.capturesByType["revisit"] == 1)
    #expect(
      second.lastCheck == "2026-03-03T08:00:00.000Z" || second.lastCheck?.hasPrefix("2026-03-03T08:00:00") == true)
    // Nothing new: the same figures again.
    #expect(Self.flat(try fixture.catalog.metrics(continuing: &tally)) == Self.flat(fresh))
  }
}
