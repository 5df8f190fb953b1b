import Foundation
import GRDB

/// One archived article found by `sourcekeep search`.
public struct SearchHit: Sendable {
  public var url: String
  public var title: String?
  public var publisher: String?
  public var digestDates: [String]
  public var capturedAt: String
  public var snippet: String
}

extension Catalog {
  /// Finds archived articles whose title, publisher or text contains `query`.
  ///
  /// The FTS5 trigram index answers queries of three characters or more (any substring,
  /// which Chinese needs: no spaces between words); shorter queries such as 千问 fall back
  /// to a LIKE scan over the same table.
  public func search(_ query: String, limit: Int = 50) throws(CatalogError) -> [SearchHit] {
    let trimmed = query.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty else { return [] }
    return try read { db in
      let rows: [Row]
      if trimmed.count >= 3 {
        let phrase = "\"" + trimmed.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        rows = try Row.fetchAll(
          db,
          sql: """
            SELECT t.rowid AS sid, t.title, t.publisher, snippet(snapshot_text, 2, '[', ']', '…', 16) AS snip, t.body
            FROM snapshot_text t WHERE snapshot_text MATCH ? ORDER BY rank LIMIT ?
            """, arguments: [phrase, limit])
      } else {
        let pattern = "%" + trimmed.replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
        rows = try Row.fetchAll(
          db,
          sql: """
            SELECT t.rowid AS sid, t.title, t.publisher, NULL AS snip, t.body FROM snapshot_text t
            WHERE t.body LIKE ? ESCAPE '\\' OR t.title LIKE ? ESCAPE '\\' OR t.publisher LIKE ? ESCAPE '\\' LIMIT ?
            """, arguments: [pattern, pattern, pattern, limit])
      }
      return try rows.map { row in
        let sid: Int64 = row["sid"]
        let snap = try Row.fetchOne(
          db, sql: "SELECT s.captured_at, l.url, l.id AS lid FROM snapshot s JOIN link l ON l.id = s.link_id WHERE s.id = ?",
          arguments: [sid])
        let dates = try String.fetchAll(
          db,
          sql: "SELECT DISTINCT d.date FROM citation c JOIN digest d ON d.id = c.digest_id WHERE c.link_id = ? ORDER BY d.date",
          arguments: [snap?["lid"] as Int64? ?? -1])
        let body: String = row["body"] ?? ""
        let snippet = (row["snip"] as String?) ?? Catalog.snippet(body, around: trimmed)
        return SearchHit(
          url: snap?["url"] ?? "", title: row["title"], publisher: row["publisher"], digestDates: dates,
          capturedAt: snap?["captured_at"] ?? "", snippet: snippet)
      }
    }
  }

  static func snippet(_ text: String, around query: String, radius: Int = 24) -> String {
    guard let r = text.range(of: query) else { return String(text.prefix(radius * 2)) }
    let start = text.index(r.lowerBound, offsetBy: -radius, limitedBy: text.startIndex) ?? text.startIndex
    let end = text.index(r.upperBound, offsetBy: radius, limitedBy: text.endIndex) ?? text.endIndex
    return (start > text.startIndex ? "…" : "") + text[start..<r.lowerBound] + "[" + text[r] + "]"
      + text[r.upperBound..<end] + (end < text.endIndex ? "…" : "")
  }
}
