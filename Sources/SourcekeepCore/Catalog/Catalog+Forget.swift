import Foundation
import GRDB

/// What `forget --digest` removed (docs/design.md#cli).
public struct ForgetResult: Sendable, Equatable {
  public var digests: [(name: String, path: String)]
  public var entries: Int
  public var citations: Int
  /// Links that no digest cites any more: they are no longer captured or checked; their
  /// snapshots and WARC records stay.
  public var linksNowUncited: Int

  public static func == (a: ForgetResult, b: ForgetResult) -> Bool {
    a.digests.map(\.path) == b.digests.map(\.path) && a.entries == b.entries && a.citations == b.citations
      && a.linksNowUncited == b.linksNowUncited
  }
}

extension Catalog {
  /// The digests a `--digest NAME-OR-DATE` names: its file name, date (2026-02-17), path, or
  /// file name without the extension (`report --digest`, `forget --digest`).
  static func digestIDs(_ db: Database, matching wanted: String) throws -> [Int64] {
    let stem = (wanted as NSString).deletingPathExtension
    return try Int64.fetchAll(
      db,
      sql: "SELECT id FROM digest WHERE name = ? OR date = ? OR path = ? OR name LIKE ? ESCAPE '\\' ORDER BY id",
      arguments: [wanted, wanted, wanted, stem.replacingOccurrences(of: "%", with: "\\%") + ".%"])
  }

  /// The digests `wanted` names, as (name, path), without changing anything.
  public func digests(matching wanted: String) throws(CatalogError) -> [(name: String, path: String)] {
    try read { db in
      let ids = try Catalog.digestIDs(db, matching: wanted)
      return try ids.compactMap { id in
        try Row.fetchOne(db, sql: "SELECT name, path FROM digest WHERE id = ?", arguments: [id]).map {
          (name: $0["name"] as String, path: $0["path"] as String)
        }
      }
    }
  }

  /// Drops the digests `wanted` names: their entries and citations go; links and their
  /// checks, snapshots and archived records stay, and a link no digest cites any more is no
  /// longer captured or checked (`linksToCapture`/`linksToCheck` select cited links only).
  public func forget(digest wanted: String) throws(CatalogError) -> ForgetResult {
    try write { db in
      let ids = try Catalog.digestIDs(db, matching: wanted)
      var result = ForgetResult(digests: [], entries: 0, citations: 0, linksNowUncited: 0)
      guard !ids.isEmpty else { return result }
      let list = ids.map(String.init).joined(separator: ",")
      result.digests = try Row.fetchAll(db, sql: "SELECT name, path FROM digest WHERE id IN (\(list)) ORDER BY id").map
      {
        (name: $0["name"] as String, path: $0["path"] as String)
      }
      let linkIDs = try Int64.fetchAll(
        db, sql: "SELECT DISTINCT link_id FROM citation WHERE digest_id IN (\(list))")
      result.entries = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entry WHERE digest_id IN (\(list))") ?? 0
      result.citations = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM citation WHERE digest_id IN (\(list))") ?? 0
      try db.execute(sql: "DELETE FROM citation WHERE digest_id IN (\(list))")
      try db.execute(sql: "DELETE FROM entry WHERE digest_id IN (\(list))")
      try db.execute(sql: "DELETE FROM digest WHERE id IN (\(list))")
      if !linkIDs.isEmpty {
        result.linksNowUncited =
          try Int.fetchOne(
            db,
            sql: """
              SELECT COUNT(*) FROM link l WHERE l.id IN (\(linkIDs.map(String.init).joined(separator: ",")))
                AND NOT EXISTS (SELECT 1 FROM citation c WHERE c.link_id = l.id)
              """) ?? 0
      }
      return result
    }
  }
}
