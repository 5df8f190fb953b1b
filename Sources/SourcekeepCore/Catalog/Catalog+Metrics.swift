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

extension Catalog {
  public func metrics() throws(CatalogError) -> CatalogMetrics {
    try read { db in
      var states = Dictionary(uniqueKeysWithValues: LinkState.allCases.map { ($0, 0) })
      for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM link GROUP BY state") {
        if let state = LinkState(rawValue: row["state"]) { states[state] = row["n"] }
      }
      var captures: [String: Int] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT record_type, COUNT(*) AS n FROM snapshot GROUP BY record_type") {
        captures[row["record_type"]] = row["n"]
      }
      var checks: [String: Int] = [:]
      var failures: [(String, String, Int)] = []
      for row in try Row.fetchAll(
        db, sql: "SELECT status, COALESCE(reason, '') AS reason, COUNT(*) AS n FROM \"check\" GROUP BY status, reason")
      {
        let status: String = row["status"]
        checks[status, default: 0] += row["n"] as Int
        if status != "ok" && status != "redirected" { failures.append((status, row["reason"], row["n"])) }
      }
      return CatalogMetrics(
        linksByState: states, capturesByType: captures, checksByStatus: checks,
        failuresByReason: failures.sorted { ($0.0, $0.1) < ($1.0, $1.1) },
        digests: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM digest") ?? 0,
        citations: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM citation") ?? 0,
        lastCheck: try String.fetchOne(db, sql: "SELECT MAX(checked_at) FROM \"check\""),
        lastCapture: try String.fetchOne(db, sql: "SELECT MAX(captured_at) FROM snapshot"))
    }
  }
}
