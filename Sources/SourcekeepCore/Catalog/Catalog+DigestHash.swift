import GRDB

/// What the catalog holds for a digest file, so an unchanged file is known before parsing.
public struct StoredDigest: Sendable, Equatable {
  public var name: String
  public var date: String
  public var contentHash: String
  /// The counts `registerDigest` reported when the file was read (`change` is `.unchanged`).
  public var registration: DigestRegistration
  /// The distinct link URLs it cites (normalized, as stored).
  public var linkURLs: [String]
}

extension Catalog {
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
      let urls = try String.fetchAll(
        db,
        sql: "SELECT DISTINCT link.url FROM citation JOIN link ON link.id = citation.link_id"
          + " WHERE citation.digest_id = ?",
        arguments: [id])
      return StoredDigest(
        name: row["name"], date: row["date"], contentHash: row["content_hash"],
        registration: DigestRegistration(
          change: .unchanged, entries: entries, sourceCitations: sources, mentionCitations: citations - sources,
          newLinks: 0, links: urls.count),
        linkURLs: urls)
    }
  }
}
