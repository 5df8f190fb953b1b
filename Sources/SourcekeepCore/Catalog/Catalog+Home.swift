import GRDB

/// What the web view's front page shows (docs/design.md#web-view): totals and links per state, the
/// newest digests with their alive/checked counts, and the first links that need attention.
///
/// Bounded whatever the catalog's size: totals and states come from the trigger-kept `tally` rows,
/// the digest rows aggregate only the newest digests' citations, and the attention list reads at
/// most `attentionLimit` links through `link(state)`. Building the whole report model instead
/// took minutes and over a gigabyte at 1,000,000 links (docs/performance.md#scale).
public struct HomeSummary: Sendable {
  public var digests: Int
  public var entries: Int
  public var citations: Int
  public var links: Int
  /// Links per state, every state present, in `LinkState.allCases` order.
  public var byState: [(LinkState, Int)]
  /// The newest digests (by date, then name), newest first.
  public var newestDigests: [RotCurve.DigestRow]
  /// The first links of the attention list: worst state first, then catalog order.
  public var attention: [ReportModel.LinkRow]

  /// Links that are not alive: the whole attention list's length.
  public var attentionTotal: Int { byState.filter { $0.0 != .alive }.reduce(0) { $0 + $1.1 } }
}

extension Catalog {
  /// The front page's figures: at most `digestLimit` digests and `attentionLimit` links.
  public func homeSummary(digestLimit: Int, attentionLimit: Int) throws(CatalogError) -> HomeSummary {
    let totals = try totals()
    let counts = try linkCountsByState()
    return try read { db in
      let scope = try CatalogReport.Scope(db, filter: ReportFilter())
      var attention: [ReportModel.LinkRow] = []
      for state in ReportModel.attentionOrder where attention.count < attentionLimit && counts[state, default: 0] > 0 {
        let cursor = try Row.fetchCursor(
          db, sql: scope.linksSQL(inState: true) + " LIMIT \(attentionLimit - attention.count)",
          arguments: scope.linkArguments(state: state))
        while let row = try cursor.next() { attention.append(try scope.linkRow(db, row)) }
      }
      return HomeSummary(
        digests: totals.digests, entries: totals.entries, citations: totals.citations, links: totals.links,
        byState: LinkState.allCases.map { ($0, counts[$0, default: 0]) },
        newestDigests: try Self.newestDigests(db, limit: digestLimit), attention: attention)
    }
  }

  /// Alive and checked links of the newest `limit` digests, as the rot curve counts them (each
  /// link once per digest, however often the digest cites it).
  static func newestDigests(_ db: Database, limit: Int) throws -> [RotCurve.DigestRow] {
    let checked = RotCurve.Tally.checked.map { "'\($0.rawValue)'" }.sorted().joined(separator: ",")
    return try Row.fetchAll(
      db,
      sql: """
        WITH newest AS (SELECT id, name, date FROM digest ORDER BY date DESC, name DESC LIMIT ?),
        cited AS (SELECT DISTINCT c.digest_id, c.link_id FROM citation c JOIN newest n ON n.id = c.digest_id)
        SELECT n.name, n.date, COUNT(l.id) AS links,
          COALESCE(SUM(l.state IN (\(checked))), 0) AS checked, COALESCE(SUM(l.state = 'alive'), 0) AS alive
        FROM newest n LEFT JOIN cited x ON x.digest_id = n.id LEFT JOIN link l ON l.id = x.link_id
        GROUP BY n.id ORDER BY n.date DESC, n.name DESC
        """, arguments: [limit]
    ).map { row in
      RotCurve.DigestRow(
        digest: row["name"], date: row["date"], links: row["links"], checked: row["checked"], alive: row["alive"])
    }
  }
}
