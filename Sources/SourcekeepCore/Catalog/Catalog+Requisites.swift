public import Foundation
import GRDB

/// What became of one page requisite (docs/design.md#page-requisites). Raw values are what
/// the catalog, the journal and the page's `metadata` record store.
public enum RequisiteStatus: String, Sendable, Codable, CaseIterable {
  /// Stored: a `response` record, or a `revisit` of an identical payload already archived.
  case archived
  /// 404 or 410.
  case gone
  /// 401, 403 or 451.
  case forbidden
  /// 429.
  case rateLimited = "rate-limited"
  /// 5xx or another HTTP status that is not a success.
  case serverError = "server-error"
  /// No HTTP answer (`reason` says why: dns, timeout, …).
  case unreachable
  /// Not fetched, by policy (`reason`: private-network, scheme).
  case excluded
  /// Larger than `capture.max_requisite_mb`: not archived (a truncated image is no image).
  case tooLarge = "too-large"
  /// Over `capture.max_requisites` or `capture.max_requisites_mb_per_page` (`reason` names the key).
  case skipped

  /// The requisite status of a fetch that ended in `status`.
  public init(fetch status: CheckStatus) {
    switch status {
    case .ok, .redirected, .soft404, .drifted, .blocked: self = .archived
    case .gone: self = .gone
    case .forbidden: self = .forbidden
    case .rateLimited: self = .rateLimited
    case .serverError: self = .serverError
    case .unreachable: self = .unreachable
    case .excluded: self = .excluded
    }
  }
}

/// One page requisite of one snapshot, as the catalog records it.
public struct Requisite: Sendable, Equatable {
  /// Row id (0 before it is stored).
  public var id: Int64 = 0
  /// The snapshot (page capture) that needed it (0 before it is stored).
  public var snapshotID: Int64 = 0
  /// Its place among the page's requisites (order of appearance, the cover first).
  public var position: Int
  /// The image URL as the page gave it, made absolute.
  public var url: String
  /// The URL of the archived response, when a redirect led elsewhere.
  public var finalURL: String?
  public var status: RequisiteStatus
  /// Why, for failures and skips: a `CheckReason` raw value or the `[capture]` key.
  public var reason: String?
  public var httpStatus: Int?
  public var contentType: String?
  /// `WARC-Payload-Digest` of the archived body (sha1 base32).
  public var payloadDigest: String?
  /// `response` or `revisit`, for archived ones.
  public var recordType: String?
  /// `WARC-Record-ID` of that record.
  public var recordID: String?
  /// Where that record is (nil unless archived).
  public var location: WARCFile.Location?
  /// Body bytes received.
  public var bytes: Int
  /// When it was fetched (for a reused one: when the record it points at was written).
  public var fetchedAt: Date
  /// Not fetched again: an earlier snapshot's record of the same URL serves this one.
  public var reused: Bool

  public init(
    position: Int, url: String, finalURL: String? = nil, status: RequisiteStatus, reason: String? = nil,
    httpStatus: Int? = nil, contentType: String? = nil, payloadDigest: String? = nil, recordType: String? = nil,
    recordID: String? = nil, location: WARCFile.Location? = nil, bytes: Int = 0, fetchedAt: Date,
    reused: Bool = false
  ) {
    self.position = position
    self.url = url
    self.finalURL = finalURL
    self.status = status
    self.reason = reason
    self.httpStatus = httpStatus
    self.contentType = contentType
    self.payloadDigest = payloadDigest
    self.recordType = recordType
    self.recordID = recordID
    self.location = location
    self.bytes = bytes
    self.fetchedAt = fetchedAt
    self.reused = reused
  }
}

extension Catalog {
  /// The requisites of a snapshot in page order (empty for a snapshot without any, or from
  /// before requisites were captured). For `show` and the web view (docs/architecture.md#catalog).
  public func requisites(forSnapshot snapshotID: Int64) throws(CatalogError) -> [Requisite] {
    try read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM requisite WHERE snapshot_id = ? ORDER BY position, id", arguments: [snapshotID]
      ).map(Catalog.requisite)
    }
  }

  /// The archived record of requisite `url` nearest to `time` (the newest when `time` is
  /// nil), or nil when no snapshot ever archived it. The web view's `im_` route and `show`
  /// use it to find an image by address (docs/architecture.md#catalog). A `revisit` holds no
  /// payload: `archivedPayload(digest:)` gives the record that does.
  public func archivedRequisite(url: String, nearest time: Date? = nil) throws(CatalogError) -> Requisite? {
    let order =
      time == nil
      ? "fetched_at DESC, id DESC"
      : "ABS(julianday(fetched_at) - julianday(?)) , fetched_at DESC, id DESC"
    var arguments: [String] = [url]
    if let time { arguments.append(Timestamp.string(time)) }
    let bound = StatementArguments(arguments)
    return try read { db in
      try Row.fetchOne(
        db,
        sql: """
          SELECT * FROM requisite WHERE url = ? AND status = 'archived' AND reused = 0 ORDER BY \(order) LIMIT 1
          """, arguments: bound
      ).map(Catalog.requisite)
    }
  }

  /// Every archived requisite row that owns its record (not reused), for `verify`.
  public func allArchivedRequisites() throws(CatalogError) -> [Requisite] {
    var all: [Requisite] = []
    var last: Int64 = 0
    while case let batch = try archivedRequisites(after: last), let end = batch.last {
      all += batch
      last = end.id
    }
    return all
  }

  /// Up to `limit` of those rows with ids above `id`, in id order: `verify` walks them in
  /// keyset pages, so its memory does not grow with the archive (docs/performance.md#scale).
  public func archivedRequisites(after id: Int64, limit: Int = 1000) throws(CatalogError) -> [Requisite] {
    try read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM requisite WHERE id > ? AND status = 'archived' AND reused = 0 ORDER BY id LIMIT ?",
        arguments: [id, limit]
      ).map(Catalog.requisite)
    }
  }

  /// The newest archived record of each of `urls` among the earlier snapshots of link
  /// `linkID`: a re-capture of a page reuses them instead of fetching again. (Another page
  /// sharing an image fetches it with its own Referer; an identical payload becomes a revisit.)
  func archivedRequisites(urls: [String], link linkID: Int64) throws(CatalogError) -> [String: Requisite] {
    guard !urls.isEmpty else { return [:] }
    return try read { db in
      var found: [String: Requisite] = [:]
      for url in urls {
        if let row = try Row.fetchOne(
          db,
          sql: """
            SELECT r.* FROM requisite r JOIN snapshot s ON s.id = r.snapshot_id
            WHERE s.link_id = ? AND r.url = ? AND r.status = 'archived'
            ORDER BY r.fetched_at DESC, r.id DESC LIMIT 1
            """, arguments: [linkID, url])
        {
          found[url] = Catalog.requisite(row)
        }
      }
      return found
    }
  }

  /// The first `response` record holding payload `digest`: where the bytes of a `revisit`
  /// requisite are (the sink also uses it to decide revisits). For `show` and the web view.
  public func archivedPayload(digest: String) throws(CatalogError) -> Requisite? {
    try read { db in
      try Row.fetchOne(
        db,
        sql: """
          SELECT * FROM requisite WHERE payload_digest = ? AND record_type = 'response' AND reused = 0
          ORDER BY id LIMIT 1
          """, arguments: [digest]
      ).map(Catalog.requisite)
    }
  }

  /// Stores a snapshot's requisites (inside the snapshot's own transaction).
  static func storeRequisites(_ db: Database, snapshot: Int64, _ requisites: [Requisite]) throws {
    guard !requisites.isEmpty else { return }
    let insert = try db.cachedStatement(
      sql: """
        INSERT INTO requisite (snapshot_id, position, url, final_url, status, reason, http_status, content_type,
          payload_digest, record_type, record_id, warc_file, warc_offset, warc_length, bytes, fetched_at, reused)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
    for r in requisites {
      try insert.execute(
        arguments: [
          snapshot, r.position, r.url, r.finalURL, r.status.rawValue, r.reason, r.httpStatus, r.contentType,
          r.payloadDigest, r.recordType, r.recordID, r.location?.file, r.location?.offset, r.location?.length, r.bytes,
          Timestamp.string(r.fetchedAt), r.reused ? 1 : 0,
        ])
    }
  }

  static func requisite(_ row: Row) -> Requisite {
    var location: WARCFile.Location?
    if let file: String = row["warc_file"], let offset: Int64 = row["warc_offset"],
      let length: Int64 = row["warc_length"]
    {
      location = WARCFile.Location(file: file, offset: offset, length: length)
    }
    var r = Requisite(
      position: row["position"], url: row["url"], finalURL: row["final_url"],
      status: RequisiteStatus(rawValue: row["status"]) ?? .unreachable, reason: row["reason"],
      httpStatus: row["http_status"], contentType: row["content_type"], payloadDigest: row["payload_digest"],
      recordType: row["record_type"], recordID: row["record_id"], location: location, bytes: row["bytes"],
      fetchedAt: Timestamp.parse(row["fetched_at"]) ?? Date(timeIntervalSince1970: 0), reused: row["reused"])
    r.id = row["id"]
    r.snapshotID = row["snapshot_id"]
    return r
  }
}
