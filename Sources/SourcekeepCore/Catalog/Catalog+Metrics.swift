import Foundation
import GRDB

/// The counts `/metrics` exports (docs/design.md#web-view), read in one transaction.
public struct CatalogMetrics: Sendable {
  public var linksByState: [LinkState: Int]
  /// Snapshot rows by record type (`response`, `revisit`).
  public var capturesByType: [String: Int]
  /// Checks by status.
  public var checksByStatus: [String: Int]
  /// Failed or inconclusive checks by status and reason (`unreachable`/`dns`, `gone`/``).
  public var failuresByReason: [(status: String, reason: String, count: Int)]
  public var digests: Int
  public var citations: Int
  /// The newest check and capture times (ISO-8601), nil before the first.
  public var lastCheck: String?
  public var lastCapture: String?
}

/// What one scrape of `/metrics` has counted so far, so the next one reads only the rows added
/// since (`check` and `snapshot` only grow, by id). Counting all of them at every scrape took
/// 9 s at 1,000,000 links with 2.3 million checks (docs/performance.md#scale); the first scrape
/// of a process still pays that once.
///
/// The capture and check counts are Prometheus counters: checks the catalog later forgets
/// (`sourcekeep forget`) stay counted until the process restarts, as a counter should.
public struct MetricsTally: Sendable {
  var checkID: Int64 = 0
  var snapshotID: Int64 = 0
  var captures: [String: Int] = [:]
  var checks: [String: [String: Int]] = [:]  // status → reason → count
  var lastCheck: String?
  var lastCapture: String?

  public init() {}
}

extension Catalog {
  /// Fresh counts, from nothing.
  public func metrics() throws(CatalogError) -> CatalogMetrics {
    var tally = MetricsTally()
    return try metrics(continuing: &tally)
  }

  /// Counts that carry on from `tally` (updated to this read): link states, digests and citations
  /// from the trigger-kept `tally` table, captures and checks from the rows after the last scrape.
  public func metrics(continuing tally: inout MetricsTally) throws(CatalogError) -> CatalogMetrics {
    let states = try linkCountsByState()
    let totals = try totals()
    let before = tally
    tally = try read { db in
      var t = before
      // Ids are not reused while a newer row exists; if the newest rows were deleted and ids
      // came back below the mark, count again from the start rather than skip new rows.
      let maxCheck = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM \"check\"") ?? 0
      let maxSnapshot = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM snapshot") ?? 0
      if maxCheck < t.checkID || maxSnapshot < t.snapshotID { t = MetricsTally() }
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT record_type, COUNT(*) AS n, MAX(captured_at) AS last FROM snapshot
          WHERE id > ? AND id <= ? GROUP BY record_type
          """, arguments: [t.snapshotID, maxSnapshot])
      {
        t.captures[row["record_type"], default: 0] += row["n"] as Int
        t.lastCapture = max(t.lastCapture ?? "", row["last"] as String? ?? "")
      }
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT status, COALESCE(reason, '') AS reason, COUNT(*) AS n, MAX(checked_at) AS last FROM "check"
          WHERE id > ? AND id <= ? GROUP BY status, reason
          """, arguments: [t.checkID, maxCheck])
      {
        t.checks[row["status"], default: [:]][row["reason"], default: 0] += row["n"] as Int
        t.lastCheck = max(t.lastCheck ?? "", row["last"] as String? ?? "")
      }
      t.checkID = maxCheck
      t.snapshotID = maxSnapshot
      return t
    }
    var checks: [String: Int] = [:]
    var failures: [(String, String, Int)] = []
    for (status, reasons) in tally.checks {
      for (reason, n) in reasons {
        checks[status, default: 0] += n
        if status != "ok" && status != "redirected" { failures.append((status, reason, n)) }
      }
    }
    return CatalogMetrics(
      linksByState: states, capturesByType: tally.captures, checksByStatus: checks,
      failuresByReason: failures.sorted { ($0.0, $0.1) < ($1.0, $1.1) }, digests: totals.digests,
      citations: totals.citations, lastCheck: tally.lastCheck.flatMap { $0.isEmpty ? nil : $0 },
      lastCapture: tally.lastCapture.flatMap { $0.isEmpty ? nil : $0 })
  }
}
