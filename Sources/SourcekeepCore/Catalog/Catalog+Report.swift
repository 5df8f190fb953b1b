public import Foundation
import GRDB

extension Catalog {
  /// Reads what a report shows, in one read transaction (a consistent snapshot even while
  /// a writer works).
  public func reportModel(filter: ReportFilter, now: Date = Date()) throws(CatalogError) -> ReportModel {
    try read { db in
      var digestIDs: [Int64]? = nil
      if let wanted = filter.digest {
        let stem = (wanted as NSString).deletingPathExtension
        digestIDs = try Int64.fetchAll(
          db,
          sql: "SELECT id FROM digest WHERE name = ? OR date = ? OR path = ? OR name LIKE ? ESCAPE '\\' ORDER BY id",
          arguments: [wanted, wanted, wanted, stem.replacingOccurrences(of: "%", with: "\\%") + ".%"])
      }
      let digestClause: String
      if let ids = digestIDs {
        digestClause = "WHERE d.id IN (\(ids.isEmpty ? "-1" : ids.map(String.init).joined(separator: ",")))"
      } else {
        digestClause = ""
      }
      let digests = try Row.fetchAll(
        db, sql: "SELECT d.name, d.date, d.title FROM digest d \(digestClause) ORDER BY d.date, d.name"
      )
      .map { (name: $0["name"] as String, date: $0["date"] as String, title: $0["title"] as String?) }
      let entries =
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entry e JOIN digest d ON d.id = e.digest_id \(digestClause)")
        ?? 0

      var citationsByLink: [Int64: [ReportModel.CitationRow]] = [:]
      let citationRows = try Row.fetchAll(
        db,
        sql: """
          SELECT c.link_id, c.role, c.publisher, COALESCE(e.title, c.entry_title) AS entry, d.name, d.date,
            c.position, e.position AS entry_position
          FROM citation c JOIN digest d ON d.id = c.digest_id LEFT JOIN entry e ON e.id = c.entry_id
          \(digestClause)
          ORDER BY d.date, d.name, c.position
          """)
      for row in citationRows {
        citationsByLink[row["link_id"], default: []].append(
          ReportModel.CitationRow(
            digest: row["name"], digestDate: row["date"], entry: row["entry"], publisher: row["publisher"],
            role: Citation.Role(rawValue: row["role"]) ?? .mention, position: row["position"],
            entryPosition: row["entry_position"]))
      }
      var links: [ReportModel.LinkRow] = []
      for row in try Row.fetchAll(db, sql: "SELECT * FROM link ORDER BY id") {
        let id: Int64 = row["id"]
        guard let citations = citationsByLink[id] else { continue }  // not cited in scope
        let state = LinkState(rawValue: row["state"]) ?? .unknown
        if !filter.states.isEmpty && !filter.states.contains(state) { continue }
        links.append(
          ReportModel.LinkRow(
            url: row["url"], host: row["host"], finalURL: row["final_url"], state: state,
            status: (row["status"] as String?).flatMap(CheckStatus.init(rawValue:)), reason: row["reason"],
            httpStatus: row["http_status"], checks: row["checks"], consecutiveFailures: row["consecutive_failures"],
            firstSeen: row["first_seen"], lastChecked: row["last_checked"], lastOK: row["last_ok"],
            firstFailure: row["first_failure"], deadSince: row["dead_since"], citations: citations,
            snapshot: try Catalog.preservingSnapshot(db, linkID: id, state: state)))
      }
      return ReportModel(generatedAt: now, filter: filter, digests: digests, entries: entries, links: links)
    }
  }

  /// The capture that preserves what was cited (docs/design.md#reports): for a drifted link the first
  /// ok/redirected capture, otherwise the newest one.
  static func preservingSnapshot(_ db: Database, linkID: Int64, state: LinkState) throws -> ReportModel.SnapshotRow? {
    let sql =
      state == .drifted
      ? "SELECT * FROM snapshot WHERE link_id = ? AND status IN ('ok', 'redirected') ORDER BY captured_at, id LIMIT 1"
      : "SELECT * FROM snapshot WHERE link_id = ? ORDER BY captured_at DESC, id DESC LIMIT 1"
    guard let row = try Row.fetchOne(db, sql: sql, arguments: [linkID]) else { return nil }
    return ReportModel.SnapshotRow(
      capturedAt: row["captured_at"], warcFile: row["warc_file"], warcOffset: row["warc_offset"],
      payloadDigest: row["payload_digest"], title: row["title"], truncated: (row["truncated"] as Int) != 0)
  }
}
