public import Foundation
import GRDB

extension Catalog {
  /// Reads what a report shows into memory, in one read transaction (a consistent snapshot
  /// even while a writer works). For large catalogs use `withReport`, which streams.
  public func reportModel(filter: ReportFilter, now: Date = Date()) throws(CatalogError) -> ReportModel {
    try read { db in
      let scope = try CatalogReport.Scope(db, filter: filter)
      let digests = try scope.digests(db)
      let entries = try scope.entries(db)
      var links: [ReportModel.LinkRow] = []
      let cursor = try Row.fetchCursor(db, sql: scope.linksSQL(), arguments: scope.linkArguments())
      while let row = try cursor.next() { links.append(try scope.linkRow(db, row)) }
      var model = ReportModel(generatedAt: now, filter: filter, digests: digests, entries: entries, links: links)
      model.missingDigests = try scope.missingDigests(db)
      return model
    }
  }

  /// Runs `body` with a report read straight from the catalog, inside one read transaction:
  /// the summary is computed by SQL aggregates first, then `body`'s renderer gets the links one
  /// at a time as SQLite returns them, so memory stays bounded whatever the catalog's size
  /// (docs/performance.md#scale). The output is byte for byte the in-memory model's.
  public func withReport<T: Sendable>(
    filter: ReportFilter, now: Date = Date(), storageDir: String? = nil, publicURL: String? = nil,
    _ body: @Sendable (CatalogReport) throws -> T
  ) throws(CatalogError) -> T {
    try read { db in
      try body(try CatalogReport(db, filter: filter, now: now, storageDir: storageDir, publicURL: publicURL))
    }
  }

  /// The capture that preserves what was cited (docs/design.md#reports): for a drifted link the first
  /// ok/redirected capture, otherwise the newest one.
  static func preservingSnapshot(_ db: Database, linkID: Int64, state: LinkState) throws -> ReportModel.SnapshotRow? {
    let sql =
      state == .drifted
      ? "SELECT * FROM snapshot WHERE link_id = ? AND status IN ('ok', 'redirected') ORDER BY captured_at, id LIMIT 1"
      : "SELECT * FROM snapshot WHERE link_id = ? ORDER BY captured_at DESC, id DESC LIMIT 1"
    // A cached statement: a streamed report runs this once per link.
    guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [linkID]) else { return nil }
    let id: Int64 = row["id"]
    let requisites = try Row.fetchOne(
      db.cachedStatement(
        sql: "SELECT COUNT(*) AS total, COUNT(warc_file) AS captured FROM requisite WHERE snapshot_id = ?"),
      arguments: [id])
    return ReportModel.SnapshotRow(
      capturedAt: row["captured_at"], warcFile: row["warc_file"], warcOffset: row["warc_offset"],
      payloadDigest: row["payload_digest"], title: row["title"], truncated: (row["truncated"] as Int) != 0,
      requisitesCaptured: requisites?["captured"] ?? 0, requisitesTotal: requisites?["total"] ?? 0,
      readable: (row["conversion_file"] as String?) != nil)
  }
}
