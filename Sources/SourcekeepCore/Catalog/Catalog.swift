public import Foundation
import GRDB
import SKSQLite
import SKZlib

/// What registering a digest changed.
public struct DigestRegistration: Sendable, Equatable {
  public enum Change: String, Sendable { case new, unchanged, updated }
  public var change: Change
  public var entries: Int
  public var sourceCitations: Int
  public var mentionCitations: Int
  /// Links the catalog had never seen.
  public var newLinks: Int
  /// All distinct links the digest cites.
  public var links: Int
}

/// Errors from the catalog, naming the database file, with the cause kept apart from the text.
public struct CatalogError: Error, Sendable, CustomStringConvertible {
  /// What failed, for callers that act on it (retry when locked, tell the user to move a corrupt
  /// file aside, journal a damaged text) without parsing the message.
  public enum Cause: Sendable, Equatable {
    /// Another connection held a lock past the busy timeout (`SQLITE_BUSY`, `SQLITE_LOCKED`).
    case locked
    /// The file is damaged or is not a database (`SQLITE_CORRUPT`, `SQLITE_NOTADB`).
    case corrupt
    /// Any other SQLite failure, with its extended result code.
    case sqlite(code: Int32)
    /// A stored article text (of this snapshot, when known) does not inflate: its blob is damaged.
    case damagedText(snapshot: Int64?)
    /// No link with this id (a caller passed a stale id).
    case noSuchLink(Int64)
    /// Opened for reading, but its schema is not this release's (older: a writer must upgrade
    /// it first; newer: this binary is older than the catalog).
    case schemaMismatch
    /// Anything else (e.g. encoding a value).
    case other
  }

  public var path: String
  public var message: String
  public var cause: Cause
  /// The error as thrown below the catalog: GRDB's `DatabaseError`, a `ZlibError`, …
  public var underlying: (any Error)?
  public var description: String { "catalog \(path): \(message)" }

  public init(path: String, message: String, cause: Cause = .other, underlying: (any Error)? = nil) {
    self.path = path
    self.message = message
    self.cause = cause
    self.underlying = underlying
  }

  /// Wraps what GRDB (or the code inside a transaction) threw, keeping its cause; the message
  /// ends with what to do about a lock or a damaged file (`opening`: the file was being opened).
  init(path: String, wrapping error: any Error, opening: Bool = false) {
    if var inner = error as? CatalogError {
      if inner.path.isEmpty { inner.path = path }
      self = inner
      return
    }
    let cause: Cause
    switch error {
    case let error as DatabaseError:
      switch error.resultCode {
      case .SQLITE_BUSY, .SQLITE_LOCKED: cause = .locked
      case .SQLITE_CORRUPT, .SQLITE_NOTADB: cause = .corrupt
      default: cause = .sqlite(code: error.extendedResultCode.rawValue)
      }
    case is ZlibError: cause = .damagedText(snapshot: nil)
    default: cause = .other
    }
    let advice =
      switch cause {
      case .locked: ". Another process kept the catalog locked; try again when it has finished."
      case .corrupt where !opening:
        ". The file is damaged: restore it from a backup, or move it aside to start a new one."
      case _ where opening: ". Is it a sourcekeep catalog? Move it aside to start a new one."
      default: ""
      }
    self.init(path: path, message: "\(error)\(advice)", cause: cause, underlying: error)
  }
}

/// The SQLite catalog: digests, entries, citations, links, checks, snapshots.
///
/// Follows GRDB's `AppDatabase` pattern: one `DatabasePool` (WAL: readers never block the
/// writer) per file, migrated in `init`; writes are named methods that keep the invariants.
public struct Catalog: Sendable {
  private let writer: any DatabaseWriter
  /// The database file.
  public let path: String

  /// Bytes the WAL file is cut back to once a checkpoint has emptied it (`journal_size_limit`).
  static let walSizeLimit = 64 << 20

  /// Opens (creating if needed) and migrates the catalog at `path`.
  /// - Throws: `CatalogError` naming the file when SQLite cannot open or migrate it.
  public init(path: String) throws(CatalogError) {
    try self.init(path: path, busyTimeout: 10)
  }

  /// Opens the catalog at `path`; `busyTimeout` is how many seconds a statement waits for
  /// another connection's lock before failing with `CatalogError.Cause.locked`.
  public init(path: String, busyTimeout: Double) throws(CatalogError) {
    do {
      var config = Configuration()
      config.busyMode = .timeout(busyTimeout)
      // WAL + synchronous=NORMAL: a commit survives any process crash (kill -9 included; the
      // WAL is in the page cache) without an fsync per transaction; only a power cut can lose
      // the last commits, and the WARC records they point at are fsynced first anyway.
      // journal_size_limit: the WAL grows while a long read keeps checkpoints from wrapping it
      // (710 MB in a million-link `check now --all`) and SQLite keeps the file that size
      // afterwards; with a limit, the next write after a complete checkpoint cuts it back.
      // The trigram index takes each distinct trigram of a text once: same index, a fraction
      // of FTS5's hashing (SKSQLite.TrigramTokenizer; every trigram table here is detail=none).
      config.prepareDatabase { db in
        try db.execute(sql: "PRAGMA synchronous = NORMAL")
        try db.execute(sql: "PRAGMA journal_size_limit = \(Catalog.walSizeLimit)")
        try TrigramTokenizer.install(on: db)
      }
      let pool = try DatabasePool(path: path, configuration: config)
      try CatalogMigrations.migrate(pool)
      self.writer = pool
      self.path = path
    } catch {
      throw CatalogError(path: path, wrapping: error, opening: true)
    }
  }

  /// Opens an existing catalog read-only, for commands that only read (report, status, search,
  /// verify): no migration, no write, no store lock needed, and a running daemon keeps writing
  /// (WAL readers never block the writer). A schema that is not this release's is refused
  /// rather than upgraded behind the writer's back (docs/design.md#catalog).
  /// - Throws: `CatalogError` (`.schemaMismatch` with what to do, or SQLite's cause).
  public static func openForReading(path: String) throws(CatalogError) -> Catalog {
    let pool: DatabasePool
    let current: Bool
    let superseded: Bool
    do {
      var config = Configuration()
      config.readonly = true
      config.busyMode = .timeout(10)
      pool = try DatabasePool(path: path, configuration: config)
      (current, superseded) = try pool.read { db in
        (
          try CatalogMigrations.migrator.hasCompletedMigrations(db),
          try CatalogMigrations.migrator.hasBeenSuperseded(db)
        )
      }
    } catch {
      throw CatalogError(path: path, wrapping: error, opening: true)
    }
    if superseded {
      throw CatalogError(
        path: path, message: "was written by a newer sourcekeep; use that release to read it.",
        cause: .schemaMismatch)
    }
    if !current {
      throw CatalogError(
        path: path,
        message: "was written by an older sourcekeep; run `sourcekeep ingest now` (or start the daemon) "
          + "once to upgrade it, then try again.",
        cause: .schemaMismatch)
    }
    return Catalog(path: path, writer: pool)
  }

  private init(path: String, writer: any DatabaseWriter) {
    self.path = path
    self.writer = writer
  }

  func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws(CatalogError) -> T {
    do { return try writer.read(body) } catch { throw CatalogError(path: path, wrapping: error) }
  }

  func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws(CatalogError) -> T {
    do { return try writer.write(body) } catch { throw CatalogError(path: path, wrapping: error) }
  }

  /// For what runs outside a transaction (`VACUUM`, checkpoints: `compact`).
  func withWriter<T>(_ body: (any DatabaseWriter) throws -> T) throws(CatalogError) -> T {
    do { return try body(writer) } catch { throw CatalogError(path: path, wrapping: error) }
  }

  // MARK: Digests

  /// Records a digest, its entries and citations, and any links not seen before.
  ///
  /// An unchanged file (same content hash) writes nothing. An edited one replaces its
  /// entries and citations; links keep their history (state, checks, snapshots).
  public func registerDigest(_ digest: Digest, at now: Date = Date()) throws(CatalogError) -> DigestRegistration {
    let ts = Timestamp.string(now)
    return try write { db in
      let sources = digest.citations.filter { $0.role == .source }.count
      let distinct = Set(digest.citations.map(\.url)).count
      var registration = DigestRegistration(
        change: .new, entries: digest.entries.count, sourceCitations: sources,
        mentionCitations: digest.citations.count - sources, newLinks: 0, links: distinct)
      let digestID: Int64
      if let row = try Row.fetchOne(
        db, sql: "SELECT id, content_hash FROM digest WHERE path = ?", arguments: [digest.path])
      {
        digestID = row["id"]
        if (row["content_hash"] as String) == digest.contentHash {
          registration.change = .unchanged
          return registration
        }
        registration.change = .updated
        try db.execute(
          sql: """
            UPDATE digest SET name = ?, content_hash = ?, title = ?, date = ?, date_source = ?, last_changed = ?
            WHERE id = ?
            """,
          arguments: [
            digest.name, digest.contentHash, digest.title, digest.date, digest.dateSource.rawValue, ts, digestID,
          ])
        try db.execute(sql: "DELETE FROM citation WHERE digest_id = ?", arguments: [digestID])
        try db.execute(sql: "DELETE FROM entry WHERE digest_id = ?", arguments: [digestID])
      } else {
        try db.execute(
          sql: """
            INSERT INTO digest (path, name, content_hash, title, date, date_source, first_read, last_changed)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            digest.path, digest.name, digest.contentHash, digest.title, digest.date, digest.dateSource.rawValue,
            ts, ts,
          ])
        digestID = db.lastInsertedRowID
      }
      var entryIDs: [Int: Int64] = [:]
      for entry in digest.entries {
        let bullets = String(decoding: try JSONEncoder().encode(entry.bullets), as: UTF8.self)
        // Cached statements, here and below: one digest holds a hundred citations, and preparing
        // each statement (with the tally triggers it fires) cost more than running it.
        try db.cachedStatement(
          sql: "INSERT INTO entry (digest_id, position, title, category, insight, bullets) VALUES (?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [digestID, entry.position, entry.title, entry.category, entry.insight, bullets])
        entryIDs[entry.position] = db.lastInsertedRowID
      }
      for (position, citation) in digest.citations.enumerated() {
        let url = citation.url
        try db.cachedStatement(
          sql: """
            INSERT INTO link (url, scheme, host, state, status, reason, first_seen) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(url) DO NOTHING
            """
        ).execute(
          arguments: [
            url.string, url.scheme, url.host,
            url.isFetchable ? LinkState.pending.rawValue : LinkState.unknown.rawValue,
            url.isFetchable ? nil : CheckStatus.excluded.rawValue,
            url.isFetchable ? nil : CheckReason.scheme.rawValue, ts,
          ])
        if db.changesCount > 0 { registration.newLinks += 1 }
        let linkID = try Int64.fetchOne(
          db.cachedStatement(sql: "SELECT id FROM link WHERE url = ?"), arguments: [url.string])!
        try db.cachedStatement(
          sql: """
            INSERT INTO citation (digest_id, entry_id, link_id, role, publisher, entry_title, raw_url, line, position)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        ).execute(
          arguments: [
            digestID, citation.entryPosition.flatMap { entryIDs[$0] }, linkID, citation.role.rawValue,
            citation.publisher, citation.entryTitle, citation.rawURL, citation.line, position,
          ])
      }
      return registration
    }
  }

  // MARK: Counts

  /// Number of links in each state (every state present, zeros included).
  ///
  /// Read from the `tally` rows that triggers keep (migration v6), so the cost does not grow
  /// with the catalog: a few rows whatever the number of links (docs/performance.md#scale).
  public func linkCountsByState() throws(CatalogError) -> [LinkState: Int] {
    try read { db in
      var counts = Dictionary(uniqueKeysWithValues: LinkState.allCases.map { ($0, 0) })
      for row in try Row.fetchAll(db, sql: "SELECT name, n FROM tally WHERE name LIKE 'state:%'") {
        let name: String = row["name"]
        if let state = LinkState(rawValue: String(name.dropFirst("state:".count))) { counts[state] = row["n"] }
      }
      return counts
    }
  }

  /// Totals: digests, entries, citations, links (from the `tally` rows, like `linkCountsByState`).
  public func totals() throws(CatalogError) -> (digests: Int, entries: Int, citations: Int, links: Int) {
    try read { db in
      var tally: [String: Int] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT name, n FROM tally WHERE name NOT LIKE 'state:%'") {
        tally[row["name"]] = row["n"]
      }
      return (tally["digests"] ?? 0, tally["entries"] ?? 0, tally["citations"] ?? 0, tally["links"] ?? 0)
    }
  }

  /// A stable dump of every row of every table, for tests that prove "nothing changed".
  public func dump() throws(CatalogError) -> String {
    try read { db in
      var out = ""
      for table in ["digest", "entry", "link", "citation", "\"check\"", "snapshot"] {
        for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY id") {
          out += "\(table) \(row.description)\n"
        }
      }
      return out
    }
  }
}
