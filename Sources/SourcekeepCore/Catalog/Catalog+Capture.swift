public import Foundation
import GRDB
import SKZlib

/// A link due for capture or check, with the validators of its last response.
public struct LinkToFetch: Sendable, Equatable {
  public var id: Int64
  public var url: String
  public var etag: String?
  public var lastModified: String?
  public var memory: LinkStateMachine.Memory
  /// Payload digest and record of the newest `response` snapshot, for revisit records.
  public var lastSnapshot: SnapshotPointer?
  /// When the link's newest snapshot was captured, if it is a `revisit` (of `lastSnapshot`'s
  /// payload): a re-check writes the next one `health.revisit_every` later
  /// (docs/design.md#revisits-on-re-check).
  public var lastRevisitAt: Date? = nil
  /// The first ok/redirected snapshot with a stored text: the drift reference. Only its id:
  /// the text (tens of KB) is read by `Catalog.referenceText(for:)` when the link's check
  /// runs, so a check of many links does not hold every reference text at once.
  public var referenceSnapshot: Int64?
}

/// Where an archived capture is and what it holds.
public struct SnapshotPointer: Sendable, Equatable {
  public var id: Int64
  public var linkID: Int64
  public var url: String
  /// The URL of the archived response (the last redirect hop), when it differs.
  public var finalURL: String?
  public var capturedAt: Date
  public var recordType: String
  public var location: WARCFile.Location
  public var payloadDigest: String
  public var recordID: String?
  /// The readable rendition's `conversion` record (docs/design.md#readable-copies), if any.
  public var conversion: WARCFile.Location? = nil
}

/// One check, as the catalog records it.
public struct CheckRecord: Sendable {
  public var linkID: Int64
  public var checkedAt: Date
  public var status: CheckStatus
  public var reason: CheckReason?
  public var httpStatus: Int?
  public var finalURL: String?
  public var elapsedMs: Int?
  public var attempts: Int
  public var detail: String?
  public var etag: String?
  public var lastModified: String?
  /// The payload digest of the answer's body (`sha1:…`), when it had one worth archiving.
  public var payloadDigest: String?

  public init(
    linkID: Int64, checkedAt: Date, status: CheckStatus, reason: CheckReason? = nil, httpStatus: Int? = nil,
    finalURL: String? = nil, elapsedMs: Int? = nil, attempts: Int = 1, detail: String? = nil, etag: String? = nil,
    lastModified: String? = nil, payloadDigest: String? = nil
  ) {
    self.payloadDigest = payloadDigest
    self.linkID = linkID
    self.checkedAt = checkedAt
    self.status = status
    self.reason = reason
    self.httpStatus = httpStatus
    self.finalURL = finalURL
    self.elapsedMs = elapsedMs
    self.attempts = attempts
    self.detail = detail
    self.etag = etag
    self.lastModified = lastModified
  }
}

/// One archived capture, as the catalog records it (after its records are on disk).
public struct SnapshotRecord: Sendable {
  public var capturedAt: Date
  public var status: CheckStatus
  public var httpStatus: Int?
  public var finalURL: String?
  public var recordType: String
  public var location: WARCFile.Location
  public var metadataOffset: Int64?
  public var payloadDigest: String
  public var title: String?
  public var publisher: String?
  public var author: String?
  public var published: String?
  public var truncated: Bool
  public var text: String?
  /// `text` as `snapshot_body` stores it (SnapshotBody), compressed by the runner in parallel
  /// so the archive sink's transaction does not; nil: compressed when stored.
  public var textBlob: Data? = nil
  /// Where the readable rendition is: its own `conversion` record, or for a revisit the one of
  /// the response it repeats (nil: the catalog finds that one; see `recordCheck`).
  public var conversion: WARCFile.Location? = nil
  /// The page's requisites, stored with the snapshot (their records already on disk).
  public var requisites: [Requisite] = []
  /// Every record the capture wrote, where it is (table `archive_record`, the CDXJ index).
  public var records: [ArchivedRecord] = []

  public init(
    capturedAt: Date, status: CheckStatus, httpStatus: Int?, finalURL: String?, recordType: String,
    location: WARCFile.Location, metadataOffset: Int64?, payloadDigest: String, title: String?, publisher: String?,
    author: String?, published: String?, truncated: Bool, text: String?
  ) {
    self.capturedAt = capturedAt
    self.status = status
    self.httpStatus = httpStatus
    self.finalURL = finalURL
    self.recordType = recordType
    self.location = location
    self.metadataOffset = metadataOffset
    self.payloadDigest = payloadDigest
    self.title = title
    self.publisher = publisher
    self.author = author
    self.published = published
    self.truncated = truncated
    self.text = text
  }
}

extension Catalog {
  /// Fetchable, cited links with no snapshot yet whose retry time has come (capture work).
  public func linksToCapture(now: Date = Date(), only urls: Set<String>? = nil) throws(CatalogError) -> [LinkToFetch] {
    let links = try linksToFetch(ids: linkIDsToCapture(now: now))
    return links.filter { urls?.contains($0.url) ?? true }
  }

  /// The ids of `linksToCapture`, in order: a run keeps only these (8 bytes a link) and reads
  /// the links page by page as its window advances (`linksToFetch(ids:)`).
  public func linkIDsToCapture(now: Date = Date()) throws(CatalogError) -> [Int64] {
    try read { db in
      try Int64.fetchAll(
        db,
        sql: """
          SELECT l.id FROM link l
          WHERE l.scheme IN ('http', 'https')
            AND NOT EXISTS (SELECT 1 FROM snapshot s WHERE s.link_id = l.id)
            AND EXISTS (SELECT 1 FROM citation c WHERE c.link_id = l.id)
            AND (l.next_check IS NULL OR l.next_check <= ?)
          ORDER BY l.id
          """, arguments: [Timestamp.string(now)])
    }
  }

  /// `linkIDsToCapture`, narrowed to the links the digests registered from `paths` cite
  /// (`ingest now --digest X` captures X's links, not the backlog of other digests).
  public func linkIDsToCapture(now: Date = Date(), inDigestsAt paths: [String]) throws(CatalogError) -> [Int64] {
    if paths.isEmpty { return [] }
    let marks = Array(repeating: "?", count: paths.count).joined(separator: ",")
    return try read { db in
      try Int64.fetchAll(
        db,
        sql: """
          SELECT l.id FROM link l
          WHERE l.scheme IN ('http', 'https')
            AND NOT EXISTS (SELECT 1 FROM snapshot s WHERE s.link_id = l.id)
            AND EXISTS (
              SELECT 1 FROM citation c JOIN digest d ON d.id = c.digest_id
              WHERE c.link_id = l.id AND d.path IN (\(marks)))
            AND (l.next_check IS NULL OR l.next_check <= ?)
          ORDER BY l.id
          """, arguments: StatementArguments(paths + [Timestamp.string(now)]))
    }
  }

  /// Links a check run should fetch: `all`, these `urls`, or the ones due by `now`.
  public func linksToCheck(now: Date = Date(), all: Bool = false, urls: Set<String>? = nil) throws(CatalogError)
    -> [LinkToFetch]
  {
    try linksToFetch(ids: linkIDsToCheck(now: now, all: all, urls: urls))
  }

  /// The ids of `linksToCheck`, in order (see `linkIDsToCapture`).
  public func linkIDsToCheck(now: Date = Date(), all: Bool = false, urls: Set<String>? = nil) throws(CatalogError)
    -> [Int64]
  {
    if urls?.isEmpty == true { return [] }
    let sql = Catalog.checkSelection(all: all, urls: urls?.count, columns: "id")
    let bound = StatementArguments(urls.map { Array($0) } ?? (all ? [] : [Timestamp.string(now)]))
    return try read { db in try Int64.fetchAll(db, sql: sql, arguments: bound) }
  }

  /// The links with these ids, in the order given (ids of links deleted meanwhile are skipped).
  public func linksToFetch(ids: some Collection<Int64> & Sendable) throws(CatalogError) -> [LinkToFetch] {
    try read { db in
      let statement = try db.cachedStatement(sql: "SELECT * FROM link WHERE id = ?")
      return try ids.compactMap { id in
        try Row.fetchOne(statement, arguments: [id]).map { try Catalog.linkToFetch(db, $0) }
      }
    }
  }

  /// The SQL that picks the links a check run fetches: never-scheduled links first, then the
  /// longest overdue. The selection is made by SQLite, not by loading every link: due and all
  /// walk the partial index `link_due` (migration v6), whose key is this order, so there is
  /// no sort; given URLs are looked up through `url`'s unique index.
  static func checkSelection(all: Bool, urls: Int?, columns: String = "*") -> String {
    let filter: String
    if let urls {
      filter = " AND url IN (\(Array(repeating: "?", count: urls).joined(separator: ",")))"
    } else if !all {
      filter = " AND COALESCE(next_check, '') <= ?"
    } else {
      filter = ""
    }
    // A link no digest cites any more (`forget --digest`) is not checked.
    return "SELECT \(columns) FROM link WHERE scheme IN ('http', 'https')\(filter)"
      + " AND EXISTS (SELECT 1 FROM citation c WHERE c.link_id = link.id) ORDER BY COALESCE(next_check, ''), id"
  }

  /// What the state machine remembers, read from a `link` row alone.
  static func memory(_ row: Row) -> LinkStateMachine.Memory {
    LinkStateMachine.Memory(
      state: LinkState(rawValue: row["state"]) ?? .unknown, consecutiveFailures: row["consecutive_failures"],
      firstFailure: (row["first_failure"] as String?).flatMap(Timestamp.parse),
      deadSince: (row["dead_since"] as String?).flatMap(Timestamp.parse),
      lastOK: (row["last_ok"] as String?).flatMap(Timestamp.parse))
  }

  /// A link's newest snapshot: its last entry in `snapshot_link`.
  static let newestSnapshotSQL = "SELECT * FROM snapshot WHERE link_id = ? ORDER BY captured_at DESC, id DESC LIMIT 1"

  static func linkToFetch(_ db: Database, _ row: Row) throws -> LinkToFetch {
    let id: Int64 = row["id"]
    let memory = memory(row)
    // Cached statements: a run looks up every link it fetches this way (preparing them anew
    // for each of 2,000 links was 2 % of a capture's CPU).
    // The newest snapshot first: when it is a response (or there is none, as in a capture) it
    // is also the newest response, one look-up; after a revisit, the response it repeats is a
    // second (docs/design.md#revisits-on-re-check).
    var lastRow = try Row.fetchOne(db.cachedStatement(sql: newestSnapshotSQL), arguments: [id])
    var lastRevisitAt: Date?
    if let newest = lastRow, newest["record_type"] as String != "response" {
      if newest["record_type"] as String == "revisit" { lastRevisitAt = Timestamp.parse(newest["captured_at"]) }
      lastRow = try Row.fetchOne(
        db.cachedStatement(
          sql:
            "SELECT * FROM snapshot WHERE link_id = ? AND record_type = 'response' ORDER BY captured_at DESC, id DESC LIMIT 1"
        ),
        arguments: [id])
    }
    let last = lastRow.map { pointer($0, url: row["url"]) }
    let reference = try Int64.fetchOne(
      db.cachedStatement(
        sql: """
          SELECT s.id FROM snapshot s JOIN snapshot_body b ON b.snapshot_id = s.id
          WHERE s.link_id = ? AND s.status IN ('ok', 'redirected') ORDER BY s.captured_at, s.id LIMIT 1
          """), arguments: [id])
    return LinkToFetch(
      id: id, url: row["url"], etag: row["etag"], lastModified: row["last_modified"], memory: memory,
      lastSnapshot: last, lastRevisitAt: lastRevisitAt, referenceSnapshot: reference)
  }

  /// The drift reference text of `link` (see `LinkToFetch.referenceSnapshot`), or nil when it
  /// has none.
  /// - Throws: `CatalogError` with cause `.damagedText(snapshot:)` when the stored text fails to
  ///   inflate (a damaged blob would otherwise switch drift detection off without a word): the
  ///   caller journals it as an `error` and checks the link without a reference.
  public func referenceText(for link: LinkToFetch) throws(CatalogError) -> String? {
    guard let id = link.referenceSnapshot else { return nil }
    let url = link.url
    return try read { db in
      do {
        return try Catalog.storedText(db, snapshot: id).map { String(decoding: $0, as: UTF8.self) }
      } catch let error as ZlibError {
        throw CatalogError(
          path: "",
          message: "the stored text of snapshot \(id), the drift reference of \(url), is damaged (\(error)); "
            + "drift detection is off for this link until the catalog is restored from a backup (the archived "
            + "copy in the WARC file is not affected).",
          cause: .damagedText(snapshot: id), underlying: error)
      }
    }
  }

  static func pointer(_ row: Row, url: String) -> SnapshotPointer {
    SnapshotPointer(
      id: row["id"], linkID: row["link_id"], url: url, finalURL: row["final_url"],
      capturedAt: Timestamp.parse(row["captured_at"]) ?? Date(timeIntervalSince1970: 0),
      recordType: row["record_type"],
      location: WARCFile.Location(file: row["warc_file"], offset: row["warc_offset"], length: row["warc_length"]),
      payloadDigest: row["payload_digest"], recordID: nil, conversion: Catalog.conversionLocation(row))
  }

  /// Records one check — and its snapshot when one was archived — and moves the link's
  /// state, in one transaction. Call only after the snapshot's records are fsynced.
  /// - Returns: the state before and after.
  @discardableResult
  public func recordCheck(
    _ check: CheckRecord, snapshot: SnapshotRecord?, machine: LinkStateMachine, nextCheck: Date?
  ) throws(CatalogError) -> (before: LinkState, after: LinkState) {
    try recordChecks([(check, snapshot)], machine: machine, nextCheck: { _, _, _ in nextCheck })[0]
  }

  /// Records several checks in one transaction (group commit: one WAL append for a batch).
  /// - Parameter nextCheck: when the link is next due, given its memory after this check,
  ///   the check, and whether the link has a snapshot (the state machine runs once, here).
  public func recordChecks(
    _ items: [(check: CheckRecord, snapshot: SnapshotRecord?)], machine: LinkStateMachine,
    nextCheck: @escaping @Sendable (LinkStateMachine.Memory, CheckRecord, Bool) -> Date?
  ) throws(CatalogError) -> [(before: LinkState, after: LinkState)] {
    try recordedChecks(items, machine: machine, nextCheck: nextCheck).map { ($0.before, $0.after) }
  }

  /// `recordChecks`, also returning the id of each item's snapshot row (nil: none written).
  func recordedChecks(
    _ items: [(check: CheckRecord, snapshot: SnapshotRecord?)], machine: LinkStateMachine,
    nextCheck: @escaping @Sendable (LinkStateMachine.Memory, CheckRecord, Bool) -> Date?
  ) throws(CatalogError) -> [(before: LinkState, after: LinkState, snapshot: Int64?)] {
    try write { db in
      try items.map { item in try Catalog.recordCheck(db, item.check, item.snapshot, machine, nextCheck) }
    }
  }

  static func recordCheck(
    _ db: Database, _ check: CheckRecord, _ snapshot: SnapshotRecord?, _ machine: LinkStateMachine,
    _ schedule: (LinkStateMachine.Memory, CheckRecord, Bool) -> Date?
  ) throws -> (before: LinkState, after: LinkState, snapshot: Int64?) {
    // Cached statements: a run records one check per link, and preparing the statements (with
    // the tally triggers they fire) cost more than running them (docs/performance.md#scale).
    guard
      let link = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM link WHERE id = ?"), arguments: [check.linkID])
    else {
      throw CatalogError(path: "", message: "no link with id \(check.linkID)", cause: .noSuchLink(check.linkID))
    }
    let before = Catalog.memory(link)
    let after = machine.next(
      before, CheckVerdict(status: check.status, httpStatus: check.httpStatus), at: check.checkedAt)
    let captured =
      try snapshot != nil
      || Bool.fetchOne(
        db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM snapshot WHERE link_id = ?)"), arguments: [check.linkID])
        ?? false
    let nextCheck = schedule(after, check, captured)
    try db.cachedStatement(
      sql: """
        INSERT INTO "check" (link_id, checked_at, status, reason, http_status, final_url, elapsed_ms, attempts, detail,
          payload_digest)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    ).execute(
      arguments: [
        check.linkID, Timestamp.string(check.checkedAt), check.status.rawValue, check.reason?.rawValue,
        check.httpStatus, check.finalURL, check.elapsedMs, check.attempts, check.detail, check.payloadDigest,
      ])
    var written: Int64?
    if let s = snapshot {
      try db.cachedStatement(
        sql: """
          INSERT INTO snapshot (link_id, captured_at, status, http_status, final_url, warc_file, warc_offset,
            warc_length, payload_digest, title, publisher, author, published, truncated, record_type, metadata_offset)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """
      ).execute(
        arguments: [
          check.linkID, Timestamp.string(s.capturedAt), s.status.rawValue, s.httpStatus, s.finalURL, s.location.file,
          s.location.offset, s.location.length, s.payloadDigest, s.title, s.publisher, s.author, s.published,
          s.truncated ? 1 : 0, s.recordType, s.metadataOffset,
        ])
      let snapshotID = db.lastInsertedRowID
      written = snapshotID
      try Catalog.recordConversion(db, snapshot: snapshotID, linkID: check.linkID, s)
      if s.recordType == "response", let text = s.text {
        try Catalog.storeText(db, snapshot: snapshotID, blob: s.textBlob ?? SnapshotBody.encode(text))
      }
      try Catalog.storeRequisites(db, snapshot: snapshotID, s.requisites)
      try Catalog.storeArchivedRecords(db, s.records, snapshot: snapshotID)
    }
    let keepValidators = check.status == .ok || check.status == .redirected || check.status == .drifted
    try db.cachedStatement(
      sql: """
        UPDATE link SET state = ?, status = ?, reason = ?, http_status = ?, final_url = ?, checks = checks + 1,
          consecutive_failures = ?, last_checked = ?, last_ok = ?, first_failure = ?, dead_since = ?, next_check = ?,
          etag = CASE WHEN ? THEN COALESCE(?, etag) ELSE etag END,
          last_modified = CASE WHEN ? THEN COALESCE(?, last_modified) ELSE last_modified END
        WHERE id = ?
        """
    ).execute(
      arguments: [
        after.state.rawValue, check.status.rawValue, check.reason?.rawValue, check.httpStatus, check.finalURL,
        after.consecutiveFailures, Timestamp.string(check.checkedAt), after.lastOK.map(Timestamp.string),
        after.firstFailure.map(Timestamp.string), after.deadSince.map(Timestamp.string),
        nextCheck.map(Timestamp.string), keepValidators, check.etag, keepValidators, check.lastModified, check.linkID,
      ])
    return (before.state, after.state, written)
  }

  /// Where the last record the catalog points at in `file` (`warc/NAME`) ends, or nil.
  public func archivedEnd(of file: String) -> Int64? {
    try? read { db in
      try Int64.fetchOne(
        db,
        sql: """
          SELECT MAX(e) FROM (
            SELECT MAX(warc_offset + warc_length) AS e FROM snapshot WHERE warc_file = ?
            UNION ALL SELECT MAX(warc_offset + warc_length) FROM requisite WHERE warc_file = ? AND reused = 0)
          """, arguments: [file, file])
    }
  }

  /// Every snapshot row with its URL, for `verify`.
  public func allSnapshots() throws(CatalogError) -> [SnapshotPointer] {
    var all: [SnapshotPointer] = []
    var last: Int64 = 0
    while case let batch = try snapshots(after: last), let end = batch.last {
      all += batch
      last = end.id
    }
    return all
  }

  /// Up to `limit` snapshot rows with ids above `id`, in id order: `verify` walks the catalog
  /// in batches (keyset pages on the primary key), so its memory does not grow with the archive.
  public func snapshots(after id: Int64, limit: Int = 1000) throws(CatalogError) -> [SnapshotPointer] {
    try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT s.*, l.url AS link_url FROM snapshot s JOIN link l ON l.id = s.link_id
          WHERE s.id > ? ORDER BY s.id LIMIT ?
          """, arguments: [id, limit]
      ).map { Catalog.pointer($0, url: $0["link_url"]) }
    }
  }
}
