public import Foundation
import GRDB

/// What waits for a later run, for run summaries that do not mislead (docs/design.md#cli).
public struct WaitingLinks: Sendable, Equatable {
  /// Links that wait: for capture, cited links with no snapshot whose retry time has not come;
  /// for checks, links not due yet.
  public var count: Int
  /// When the first of them is due (nil when none waits).
  public var nextDue: Date?
}

extension Catalog {
  /// Cited links without a snapshot whose next capture attempt is after `now`.
  public func linksWaitingForCapture(now: Date = Date()) throws(CatalogError) -> WaitingLinks {
    try waiting(now: now, extra: "AND NOT EXISTS (SELECT 1 FROM snapshot s WHERE s.link_id = l.id)")
  }

  /// Cited links whose next check is after `now`.
  public func linksWaitingForCheck(now: Date = Date()) throws(CatalogError) -> WaitingLinks {
    try waiting(now: now, extra: "")
  }

  /// Cited http(s) links due after `now`, narrowed by `extra` (an SQL condition on `l`).
  private func waiting(now: Date, extra: String) throws(CatalogError) -> WaitingLinks {
    try read { db in
      let row = try Row.fetchOne(
        db,
        sql: """
          SELECT COUNT(*) AS n, MIN(l.next_check) AS first FROM link l
          WHERE l.scheme IN ('http', 'https') AND l.next_check > ?
            AND EXISTS (SELECT 1 FROM citation c WHERE c.link_id = l.id) \(extra)
          """, arguments: [Timestamp.string(now)])
      return WaitingLinks(count: row?["n"] ?? 0, nextDue: (row?["first"] as String?).flatMap(Timestamp.parse))
    }
  }
}
