import Foundation
import GRDB

/// Everything the web view's link page shows (docs/design.md#web-view): the link's state now, every
/// check, every capture and the digests citing it.
public struct LinkHistory: Sendable {
  public struct Check: Sendable {
    public var checkedAt: String
    public var status: String
    public var reason: String?
    public var httpStatus: Int?
    public var finalURL: String?
    public var elapsedMs: Int?
    public var detail: String?
    /// The payload digest of the answer's body (checks since catalog v11; nil for 304s, errors).
    public var payloadDigest: String?
  }

  public struct Capture: Sendable {
    public var memento: Memento
    /// Main-text similarity to the link's first capture with a text (1 for that one; nil
    /// when either has no text, such as a revisit).
    public var similarity: Double?
    /// Characters of main text stored for it (nil without one).
    public var textLength: Int?
  }

  public var id: Int64
  /// The link row, as a report shows it (state, status, times, citations; `snapshot` is the
  /// capture that preserves what was cited).
  public var link: ReportModel.LinkRow
  public var nextCheck: String?
  /// Newest first.
  public var checks: [Check]
  /// Oldest first.
  public var captures: [Capture]
}

extension Catalog {
  /// The history of link `id`, or nil when there is no such link.
  public func linkHistory(id: Int64) throws(CatalogError) -> LinkHistory? {
    try read { db in
      guard let row = try Row.fetchOne(db, sql: "SELECT * FROM link WHERE id = ?", arguments: [id]) else { return nil }
      let state = LinkState(rawValue: row["state"]) ?? .unknown
      let citations = try Row.fetchAll(
        db,
        sql: """
          SELECT c.role, c.publisher, COALESCE(e.title, c.entry_title) AS entry, d.name, d.date, c.position,
            e.position AS entry_position
          FROM citation c JOIN digest d ON d.id = c.digest_id LEFT JOIN entry e ON e.id = c.entry_id
          WHERE c.link_id = ? ORDER BY d.date DESC, d.name, c.position
          """, arguments: [id]
      ).map {
        ReportModel.CitationRow(
          digest: $0["name"], digestDate: $0["date"], entry: $0["entry"], publisher: $0["publisher"],
          role: Citation.Role(rawValue: $0["role"]) ?? .mention, position: $0["position"],
          entryPosition: $0["entry_position"])
      }
      let link = ReportModel.LinkRow(
        url: row["url"], host: row["host"], finalURL: row["final_url"], state: state,
        status: (row["status"] as String?).flatMap(CheckStatus.init(rawValue:)), reason: row["reason"],
        httpStatus: row["http_status"], checks: row["checks"], consecutiveFailures: row["consecutive_failures"],
        firstSeen: row["first_seen"], lastChecked: row["last_checked"], lastOK: row["last_ok"],
        firstFailure: row["first_failure"], deadSince: row["dead_since"], citations: citations,
        snapshot: try Catalog.preservingSnapshot(db, linkID: id, state: state))
      let checks = try Row.fetchAll(
        db, sql: "SELECT * FROM \"check\" WHERE link_id = ? ORDER BY checked_at DESC, id DESC", arguments: [id]
      ).map {
        LinkHistory.Check(
          checkedAt: $0["checked_at"], status: $0["status"], reason: $0["reason"], httpStatus: $0["http_status"],
          finalURL: $0["final_url"], elapsedMs: $0["elapsed_ms"], detail: $0["detail"],
          payloadDigest: $0["payload_digest"])
      }
      let mementos = try Row.fetchAll(
        db,
        sql: """
          SELECT s.*, l.url AS link_url FROM snapshot s JOIN link l ON l.id = s.link_id
          WHERE s.link_id = ? ORDER BY s.captured_at, s.id
          """, arguments: [id]
      ).map(Catalog.memento)
      var reference: String?
      var captures: [LinkHistory.Capture] = []
      for memento in mementos {
        // A damaged text only loses its similarity figure here; `verify` reports the damage.
        let text = (try? Catalog.storedText(db, snapshot: memento.snapshotID)).flatMap { $0 }.map {
          String(decoding: $0, as: UTF8.self)
        }
        var similarity: Double?
        if let text {
          if let reference {
            similarity = TextSimilarity.similarity(reference, text)
          } else {
            reference = text
            similarity = 1
          }
        }
        captures.append(LinkHistory.Capture(memento: memento, similarity: similarity, textLength: text?.count))
      }
      return LinkHistory(id: id, link: link, nextCheck: row["next_check"], checks: checks, captures: captures)
    }
  }
}
