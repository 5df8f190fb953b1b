public import Foundation
import GRDB

/// A report read straight from the catalog (`Catalog.withReport`): the summary from SQL
/// aggregates, the links streamed through cursors, all inside the caller's read transaction.
///
/// Memory holds the summary (one row per digest, publisher and domain) and one link at a time;
/// the per-link queries go through cached statements and the indexes on `citation(link_id)`,
/// `snapshot(link_id, captured_at)` and `link(state)` (docs/performance.md#scale).
public struct CatalogReport: ReportInput {
  public typealias Failure = any Error

  let db: Database
  let scope: Scope
  public let generatedAt: Date
  public let filter: ReportFilter
  public let storageDir: String?
  public let publicURL: String?
  public let summary: ReportSummary

  init(_ db: Database, filter: ReportFilter, now: Date, storageDir: String?, publicURL: String?) throws {
    self.db = db
    self.scope = try Scope(db, filter: filter)
    self.generatedAt = now
    self.filter = filter
    self.storageDir = storageDir
    self.publicURL = publicURL
    self.summary = try scope.summary(db, now: now)
  }

  public func forEachLink(_ body: (ReportModel.LinkRow) -> Void) throws {
    let cursor = try Row.fetchCursor(db, sql: scope.linksSQL(), arguments: scope.linkArguments())
    while let row = try cursor.next() { body(try scope.linkRow(db, row)) }
  }

  public func forEachAttentionLink(_ body: (ReportModel.LinkRow) -> Void) throws {
    try forEachAttentionLink(skipping: [], body)
  }

  public func forEachAttentionLink(skipping: Set<LinkState>, _ body: (ReportModel.LinkRow) -> Void) throws {
    for state in ReportModel.attentionOrder
    where !skipping.contains(state) && (scope.states.isEmpty || scope.states.contains(state)) {
      let cursor = try Row.fetchCursor(
        db, sql: scope.linksSQL(inState: true), arguments: scope.linkArguments(state: state))
      while let row = try cursor.next() { body(try scope.linkRow(db, row)) }
    }
  }

  public func citations(inDigest digest: String) throws -> [(
    link: ReportModel.LinkRow, citation: ReportModel.CitationRow
  )] {
    let cursor = try Row.fetchCursor(
      db,
      sql: """
        SELECT \(Scope.linkColumns), c.position AS citation_position FROM citation c
        JOIN digest d ON d.id = c.digest_id JOIN link l ON l.id = c.link_id
        \(Scope.snapshotJoin)
        WHERE d.name = ? AND \(scope.citationClause) AND \(scope.stateClause)
        ORDER BY c.position, l.id
        """, arguments: [digest])
    var out: [(link: ReportModel.LinkRow, citation: ReportModel.CitationRow)] = []
    while let row = try cursor.next() {
      let position: Int = row[Scope.linkColumnCount]
      let link = try scope.linkRow(db, row)
      // The link row's citations are every one in scope; this is the one in `digest`.
      if let citation = link.citations.first(where: { $0.digest == digest && $0.position == position }) {
        out.append((link, citation))
      }
    }
    return out
  }

  /// Which digests and states a report covers, as SQL.
  struct Scope {
    /// The digests in scope (nil: all of them).
    var digestIDs: [Int64]?
    var states: [LinkState]

    init(_ db: Database, filter: ReportFilter) throws {
      states = filter.states
      if let wanted = filter.digest { digestIDs = try Catalog.digestIDs(db, matching: wanted) }
    }

    private var idList: String { (digestIDs ?? []).isEmpty ? "-1" : digestIDs!.map(String.init).joined(separator: ",") }

    /// On `digest d`.
    var digestClause: String { digestIDs == nil ? "" : "WHERE d.id IN (\(idList))" }
    /// On `citation c`.
    var citationClause: String { digestIDs == nil ? "1" : "c.digest_id IN (\(idList))" }
    /// On `link l` (state names are the enum's own, never user text).
    var stateClause: String {
      states.isEmpty ? "1" : "l.state IN (\(states.map { "'\($0.rawValue)'" }.joined(separator: ",")))"
    }

    func digests(_ db: Database) throws -> [(name: String, date: String, title: String?)] {
      try Row.fetchAll(db, sql: "SELECT d.name, d.date, d.title FROM digest d \(digestClause) ORDER BY d.date, d.name")
        .map { (name: $0["name"] as String, date: $0["date"] as String, title: $0["title"] as String?) }
    }

    /// Names of the digests in scope whose file is gone from disk (moved or deleted): their
    /// links are still checked until `sourcekeep forget --digest NAME` (docs/design.md#forget).
    func missingDigests(_ db: Database) throws -> [String] {
      try Row.fetchAll(db, sql: "SELECT d.name, d.path FROM digest d \(digestClause) ORDER BY d.date, d.name")
        .compactMap { row in
          let path: String = row["path"]
          return path.hasPrefix("/") && !FileManager.default.fileExists(atPath: path) ? row["name"] as String : nil
        }
    }

    func entries(_ db: Database) throws -> Int {
      try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entry e JOIN digest d ON d.id = e.digest_id \(digestClause)")
        ?? 0
    }

    /// Links in scope, in catalog order (`inState`: only those in one state, bound as `?`),
    /// each with its preserving snapshot joined (`linkColumns`).
    func linksSQL(inState: Bool = false) -> String {
      """
      SELECT \(Self.linkColumns) FROM link l
      \(Self.snapshotJoin)
      WHERE \(inState ? "l.state = ? AND " : "")\(stateClause) AND \(citedClause)
      ORDER BY l.id
      """
    }

    /// On `link l`: cited in scope. A digest's links are looked up from its citations
    /// (`citation(digest_id, position)`); testing every link with EXISTS read all 1,000,000 links
    /// for one digest's 2,700 (4 s for a web view digest page).
    private var citedClause: String {
      digestIDs == nil
        ? "EXISTS (SELECT 1 FROM citation c WHERE c.link_id = l.id)"
        : "l.id IN (SELECT c.link_id FROM citation c WHERE \(citationClause))"
    }

    func linkArguments(state: LinkState? = nil) -> StatementArguments {
      state.map { [$0.rawValue] } ?? []
    }

    /// What a report row reads of a link and of the snapshot that preserves what was cited
    /// (docs/design.md#reports: for a drifted link the first ok/redirected capture, otherwise
    /// the newest; as `Catalog.preservingSnapshot` picks it), read by position: a million-link
    /// report spent most of its time in per-link snapshot queries and in looking columns up by
    /// name (docs/performance.md#scale).
    static let linkColumns = """
      l.id, l.url, l.host, l.final_url, l.state, l.status, l.reason, l.http_status, l.checks,
      l.consecutive_failures, l.first_seen, l.last_checked, l.last_ok, l.first_failure, l.dead_since,
      s.id AS snapshot_id, s.captured_at, s.warc_file, s.warc_offset, s.payload_digest, s.title, s.truncated,
      s.conversion_file IS NOT NULL AS readable,
      (SELECT COUNT(*) FROM requisite r WHERE r.snapshot_id = s.id) AS requisites_total,
      (SELECT COUNT(r.warc_file) FROM requisite r WHERE r.snapshot_id = s.id) AS requisites_captured
      """
    /// How many columns `linkColumns` has (a query may add its own after them).
    static let linkColumnCount = 25

    /// Joins `snapshot s`, the link's preserving snapshot, through `snapshot(link_id, captured_at)`.
    static let snapshotJoin = """
      LEFT JOIN snapshot s ON s.id = CASE WHEN l.state = 'drifted'
        THEN (SELECT p.id FROM snapshot p WHERE p.link_id = l.id AND p.status IN ('ok', 'redirected')
          ORDER BY p.captured_at, p.id LIMIT 1)
        ELSE (SELECT p.id FROM snapshot p WHERE p.link_id = l.id ORDER BY p.captured_at DESC, p.id DESC LIMIT 1) END
      """

    /// A link row (a row of `linkColumns`) with its citations in scope.
    func linkRow(_ db: Database, _ row: Row) throws -> ReportModel.LinkRow {
      let id: Int64 = row[0]
      let state = LinkState(rawValue: row[4]) ?? .unknown
      let statement = try db.cachedStatement(
        sql: """
          SELECT d.name, d.date, COALESCE(e.title, c.entry_title) AS entry, c.publisher, c.role,
            c.position, e.position AS entry_position
          FROM citation c JOIN digest d ON d.id = c.digest_id LEFT JOIN entry e ON e.id = c.entry_id
          WHERE c.link_id = ? AND \(citationClause)
          ORDER BY d.date, d.name, c.position
          """)
      var citations: [ReportModel.CitationRow] = []
      let cursor = try Row.fetchCursor(statement, arguments: [id])
      while let c = try cursor.next() {
        citations.append(
          ReportModel.CitationRow(
            digest: c[0], digestDate: c[1], entry: c[2], publisher: c[3],
            role: Citation.Role(rawValue: c[4]) ?? .mention, position: c[5], entryPosition: c[6]))
      }
      var snapshot: ReportModel.SnapshotRow?
      if !row.hasNull(atIndex: 15) {
        snapshot = ReportModel.SnapshotRow(
          capturedAt: row[16], warcFile: row[17], warcOffset: row[18], payloadDigest: row[19], title: row[20],
          truncated: (row[21] as Int) != 0, requisitesCaptured: row[24], requisitesTotal: row[23],
          readable: (row[22] as Int) != 0)
      }
      return ReportModel.LinkRow(
        url: row[1], host: row[2], finalURL: row[3], state: state,
        status: (row[5] as String?).flatMap(CheckStatus.init(rawValue:)), reason: row[6],
        httpStatus: row[7], checks: row[8], consecutiveFailures: row[9],
        firstSeen: row[10], lastChecked: row[11], lastOK: row[12],
        firstFailure: row[13], deadSince: row[14], citations: citations, snapshot: snapshot,
        fallback: state == .failing || state == .dead ? try Catalog.publicCopy(db, linkID: id) : nil)
    }

    /// Counts, groups and the rot curve, from one aggregate row per link (read through a
    /// cursor: memory holds the tallies, not the links) and one per digest.
    func summary(_ db: Database, now: Date) throws -> ReportSummary {
      let digests = try digests(db)
      var links = 0
      var citations = 0
      var sources = 0
      var byState: [LinkState: Int] = [:]
      var byStatus: [CheckStatus: Int] = [:]
      var publishers: [String: ReportGroup] = [:]
      var domains: [String: ReportGroup] = [:]
      var rot = RotCurve.Tally(at: now)
      func count(_ groups: inout [String: ReportGroup], _ name: String, _ state: LinkState) {
        groups[name, default: ReportGroup(name: name, links: 0, byState: [:])].links += 1
        groups[name]!.byState[state, default: 0] += 1
      }
      let cursor = try Row.fetchCursor(
        db,
        sql: """
          SELECT l.state, l.status, l.host, CASE WHEN l.host = '' THEN l.url END AS url, MIN(d.date) AS first_date,
            COUNT(*) AS citations, SUM(c.role = 'source') AS sources,
            json_group_array(CASE WHEN c.role = 'source' THEN c.publisher END) AS publishers
          FROM link l JOIN citation c ON c.link_id = l.id JOIN digest d ON d.id = c.digest_id
          WHERE \(citationClause) AND \(stateClause)
          GROUP BY l.id
          """)
      while let row = try cursor.next() {
        let state = LinkState(rawValue: row["state"]) ?? .unknown
        links += 1
        citations += row["citations"] as Int
        let sourceCount: Int = row["sources"]
        sources += sourceCount
        byState[state, default: 0] += 1
        if let status = (row["status"] as String?).flatMap(CheckStatus.init(rawValue:)) {
          byStatus[status, default: 0] += 1
        }
        rot.add(state: state, firstCited: row["first_date"])
        var names = Set<String>()
        if sourceCount > 0, case .array(let values)? = JSONValue.parse(row["publishers"]) {
          for case .string(let name) in values { names.insert(name) }
        }
        if names.isEmpty { names.insert("(mentions)") }
        for name in names { count(&publishers, name, state) }
        let host: String = row["host"]
        count(&domains, host.isEmpty ? "(\(urlScheme(of: row["url"] ?? "")))" : host, state)
      }
      var perDigest: [String: (links: Int, checked: Int, alive: Int)] = [:]
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT d.name, COUNT(DISTINCT c.link_id) AS links,
            COUNT(DISTINCT CASE WHEN l.state IN ('alive', 'drifted', 'failing', 'dead') THEN c.link_id END) AS checked,
            COUNT(DISTINCT CASE WHEN l.state = 'alive' THEN c.link_id END) AS alive
          FROM citation c JOIN digest d ON d.id = c.digest_id JOIN link l ON l.id = c.link_id
          WHERE \(citationClause) AND \(stateClause)
          GROUP BY d.name
          """)
      {
        perDigest[row["name"]] = (row["links"], row["checked"], row["alive"])
      }
      let digestRows = digests.map { digest in
        let n = perDigest[digest.name] ?? (0, 0, 0)
        return RotCurve.DigestRow(
          digest: digest.name, date: digest.date, links: n.links, checked: n.checked, alive: n.alive)
      }
      return ReportSummary(
        digests: digests, entries: try entries(db), citations: citations, sourceCitations: sources, links: links,
        byState: LinkState.allCases.map { ($0, byState[$0] ?? 0) },
        byStatus: CheckStatus.allCases.map { ($0, byStatus[$0] ?? 0) },
        publishers: ReportGroup.sorted(Array(publishers.values)), domains: ReportGroup.sorted(Array(domains.values)),
        rot: RotCurve(buckets: rot.buckets, digests: digestRows), missingDigests: try missingDigests(db))
    }
  }
}
