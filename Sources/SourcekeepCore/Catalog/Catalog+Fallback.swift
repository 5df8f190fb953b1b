public import Foundation
import GRDB

/// A copy of a link in a public web archive (docs/design.md#fallback): report JSON
/// `fallback: {"source", "url", "timestamp"}`.
public struct PublicCopy: Sendable, Equatable {
  /// `wayback` or `memento`.
  public var source: String
  /// The memento's address (http or https only).
  public var url: String
  /// When the archive captured it, ISO-8601 UTC.
  public var timestamp: String?

  public init(source: String, url: String, timestamp: String?) {
    self.source = source
    self.url = url
    self.timestamp = timestamp
  }
}

/// A link the public archives are asked about.
public struct FallbackCandidate: Sendable, Equatable {
  public var linkID: Int64
  public var url: String
  /// The date of the first digest citing it (`2026-02-17`): the archives are asked for the
  /// copy closest to when it was cited.
  public var firstCited: String?
}

extension Catalog {
  /// Cited http(s) links that are `failing` or `dead`, have no ok/redirected snapshot, and
  /// were not asked about since `now - interval` (once per link per `recheck_interval`).
  public func linksNeedingFallback(now: Date = Date(), interval: TimeInterval) throws(CatalogError)
    -> [FallbackCandidate]
  {
    let since = Timestamp.string(now.addingTimeInterval(-interval))
    return try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT l.id, l.url,
            (SELECT MIN(d.date) FROM citation c JOIN digest d ON d.id = c.digest_id WHERE c.link_id = l.id) AS cited
          FROM link l
          WHERE l.state IN ('failing', 'dead') AND l.scheme IN ('http', 'https')
            AND EXISTS (SELECT 1 FROM citation c WHERE c.link_id = l.id)
            AND NOT EXISTS (SELECT 1 FROM snapshot s WHERE s.link_id = l.id AND s.status IN ('ok', 'redirected'))
            AND NOT EXISTS (SELECT 1 FROM fallback f WHERE f.link_id = l.id AND f.asked_at > ?)
          ORDER BY l.id
          """, arguments: [since]
      ).map { FallbackCandidate(linkID: $0["id"], url: $0["url"], firstCited: $0["cited"]) }
    }
  }

  /// Keeps one source's answer for a link. An `error` keeps the copy found before.
  public func recordFallback(
    linkID: Int64, source: String, outcome: String, copy: PublicCopy?, askedAt: Date, detail: String?
  ) throws(CatalogError) {
    try write { db in
      try db.execute(
        sql: """
          INSERT INTO fallback (link_id, source, asked_at, outcome, url, timestamp, detail)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (link_id, source) DO UPDATE SET
            asked_at = excluded.asked_at, outcome = excluded.outcome, detail = excluded.detail,
            url = CASE WHEN excluded.outcome = 'error' THEN fallback.url ELSE excluded.url END,
            timestamp = CASE WHEN excluded.outcome = 'error' THEN fallback.timestamp ELSE excluded.timestamp END
          """,
        arguments: [linkID, source, Timestamp.string(askedAt), outcome, copy?.url, copy?.timestamp, detail])
    }
  }

  /// The link's public copy for reports — the report JSON `fallback` field and the Markdown
  /// repair link (docs/design.md#fallback): the Wayback answer first, else the TimeGate's; nil
  /// when none was found or the link has a good local capture (the local copy is the one to
  /// show then).
  public func publicCopy(forLink linkID: Int64) throws(CatalogError) -> PublicCopy? {
    try read { db in try Catalog.publicCopy(db, linkID: linkID) }
  }

  /// `publicCopy(forLink:)` inside a read the caller already holds (a report builds many).
  static func publicCopy(_ db: Database, linkID: Int64) throws -> PublicCopy? {
    // Cached: a report asks once per failing or dead link.
    try Row.fetchOne(
      db.cachedStatement(
        sql: """
          SELECT source, url, timestamp FROM fallback f
          WHERE f.link_id = ? AND f.url IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM snapshot s WHERE s.link_id = f.link_id AND s.status IN ('ok', 'redirected'))
          ORDER BY f.source = 'wayback' DESC LIMIT 1
          """), arguments: [linkID]
    ).map { PublicCopy(source: $0["source"], url: $0["url"], timestamp: $0["timestamp"]) }
  }

  /// Every link's public copy by link id (for a whole report in one read).
  public func publicCopies() throws(CatalogError) -> [Int64: PublicCopy] {
    try read { db in
      var out: [Int64: PublicCopy] = [:]
      for id in try Int64.fetchAll(db, sql: "SELECT DISTINCT link_id FROM fallback WHERE url IS NOT NULL") {
        out[id] = try Catalog.publicCopy(db, linkID: id)
      }
      return out
    }
  }

  /// The last answer of `source` for a link: (outcome, asked at, detail), for tests and `status`.
  public func fallbackAnswer(linkID: Int64, source: String) throws(CatalogError) -> (
    outcome: String, askedAt: String, detail: String?
  )? {
    try read { db in
      try Row.fetchOne(
        db, sql: "SELECT outcome, asked_at, detail FROM fallback WHERE link_id = ? AND source = ?",
        arguments: [linkID, source]
      ).map { ($0["outcome"], $0["asked_at"], $0["detail"]) }
    }
  }

  /// The id of the link with this (normalised) URL, or nil.
  public func linkID(url: String) throws(CatalogError) -> Int64? {
    try read { db in try Int64.fetchOne(db, sql: "SELECT id FROM link WHERE url = ?", arguments: [url]) }
  }

  // MARK: Save Page Now

  /// Cited http(s) links never submitted to Save Page Now, newest first (new citations go
  /// first when a run's quota is short).
  public func linksToSubmit(limit: Int) throws(CatalogError) -> [(linkID: Int64, url: String)] {
    try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT l.id, l.url FROM link l
          WHERE l.scheme IN ('http', 'https') AND EXISTS (SELECT 1 FROM citation c WHERE c.link_id = l.id)
            AND NOT EXISTS (SELECT 1 FROM spn_submission p WHERE p.link_id = l.id)
          ORDER BY l.id DESC LIMIT ?
          """, arguments: [limit]
      ).map { ($0["id"], $0["url"]) }
    }
  }

  /// Records a Save Page Now submission (`submitted` with the job id, or `error`).
  public func recordSubmission(linkID: Int64, at: Date, outcome: String, jobID: String?, detail: String?)
    throws(CatalogError)
  {
    try write { db in
      try db.execute(
        sql: """
          INSERT OR REPLACE INTO spn_submission (link_id, submitted_at, outcome, job_id, detail)
          VALUES (?, ?, ?, ?, ?)
          """, arguments: [linkID, Timestamp.string(at), outcome, jobID, detail])
    }
  }

  /// A link's Save Page Now submission: (outcome, job id, detail).
  public func submission(linkID: Int64) throws(CatalogError) -> (outcome: String, jobID: String?, detail: String?)? {
    try read { db in
      try Row.fetchOne(
        db, sql: "SELECT outcome, job_id, detail FROM spn_submission WHERE link_id = ?", arguments: [linkID]
      )
      .map { ($0["outcome"], $0["job_id"], $0["detail"]) }
    }
  }
}
