import GRDB

/// What the catalog holds for a digest file, so an unchanged file is known before parsing.
public struct StoredDigest: Sendable, Equatable {
  public var name: String
  public var date: String
  public var contentHash: String
  /// The counts `registerDigest` reported when the file was read (`change` is `.unchanged`).
  public var registration: DigestRegistration
}

extension Catalog {
  /// How many distinct links the digests registered from `paths` cite, counted by SQLite: an
  /// ingest run's "links" total without holding every URL of a year of digests in memory
  /// (docs/performance.md#scale).
  public func distinctLinks(inDigestsAt paths: [String]) throws(CatalogError) -> Int {
    try write { db in
      try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS ingest_path (path TEXT PRIMARY KEY) WITHOUT ROWID")
      try db.execute(sql: "DELETE FROM temp.ingest_path")
      let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO temp.ingest_path (path) VALUES (?)")
      for path in paths { try insert.execute(arguments: [path]) }
      let count =
        try Int.fetchOne(
          db,
          sql: """
            SELECT COUNT(DISTINCT c.link_id) FROM citation c JOIN digest d ON d.id = c.digest_id
            JOIN temp.ingest_path p ON p.path = d.path
            """) ?? 0
      try db.execute(sql: "DELETE FROM temp.ingest_path")
      return count
    }
  }

  /// The digest registered from `path`, with its counts, or nil if none is.
  public func storedDigest(path: String) throws(CatalogError) -> StoredDigest? {
    try read { db in
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT id, name, date, content_hash FROM digest WHERE path = ?", arguments: [path])
      else { return nil }
      let id: Int64 = row["id"]
      let entries = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entry WHERE digest_id = ?", arguments: [id]) ?? 0
      let sources =
        try Int.fetchOne(
          db, sql: "SELECT COUNT(*) FROM citation WHERE digest_id = ? AND role = 'source'", arguments: [id]) ?? 0
      let citations =
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM citation WHERE digest_id = ?", arguments: [id]) ?? 0
      let links =
        try Int.fetchOne(
          db, sql: "SELECT COUNT(DISTINCT link_id) FROM citation WHERE digest_id = ?", arguments: [id]) ?? 0
      return StoredDigest(
        name: row["name"], date: row["date"], contentHash: row["content_hash"],
        registration: DigestRegistration(
          change: .unchanged, entries: entries, sourceCitations: sources, mentionCitations: citations - sources,
          newLinks: 0, links: links))
    }
  }
}
