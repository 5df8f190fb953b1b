import Foundation
import SourcekeepCore

/// What the web view reads, and only reads (docs/design.md#web-view): the catalog opened as a WAL
/// reader (no migration, no store lock, the daemon keeps writing) and WARC records at the
/// offsets the catalog gives. No request ever names a file.
struct WebArchive: Sendable {
  let catalog: Catalog
  let layout: StoreLayout
  let config: Config

  /// The captures of the link an address names, oldest first: its cited URL as given, else
  /// percent-decoded (a browser encodes non-ASCII and spaces on the way in); empty when the
  /// archive does not know the URL.
  func mementos(for url: String) throws -> (url: String, mementos: [Memento]) {
    var candidates = [url]
    if let decoded = WebPath.decode(Substring(url)), decoded != url { candidates.append(decoded) }
    for candidate in candidates {
      if let id = try catalog.linkID(forURL: candidate) {
        let found = try catalog.mementos(linkID: id)
        return (found.first?.url ?? candidate, found)
      }
    }
    return (url, [])
  }

  /// The archived response of a capture; a revisit is answered from the first response
  /// with the same payload digest.
  func response(_ memento: Memento) throws -> StoredResponse {
    var location = memento.location
    if memento.recordType == "revisit" {
      guard let original = try catalog.responseLocation(payloadDigest: memento.payloadDigest) else {
        throw CatalogError(
          path: catalog.path, message: "revisit of \(memento.url): no response with payload \(memento.payloadDigest)")
      }
      location = original
    }
    return try StoredResponse.read(location, storeRoot: layout.root)
  }

  /// The main text of a capture, following a revisit to the response whose text it shares.
  func text(_ memento: Memento) throws -> String? {
    if let text = try catalog.text(ofSnapshot: memento.snapshotID) { return text }
    guard memento.recordType == "revisit" else { return nil }
    let earlier = try catalog.mementos(linkID: memento.linkID).filter {
      $0.recordType == "response" && $0.payloadDigest == memento.payloadDigest
    }
    for m in earlier { if let text = try catalog.text(ofSnapshot: m.snapshotID) { return text } }
    return nil
  }

  /// The readable rendition of a capture (#15's WARC `conversion` record, read through the
  /// shared loader `ArchivedCopy`), or nil when the capture has none (captured before
  /// renditions existed, or not HTML).
  func readable(_ memento: Memento) -> String? {
    guard let link = try? catalog.captures(of: memento.url),
      let row = link.captures.first(where: { $0.pointer.id == memento.snapshotID })
    else { return nil }
    return try? ArchivedCopy(catalog: catalog, layout: layout).readableHTML(row)
  }

  /// An archived page requisite (an image) by its URL, nearest `time`: its response record
  /// (a revisit's payload is in the first response with its digest) and when it was fetched.
  func requisite(_ url: String, nearest time: Date) throws -> (StoredResponse, Date)? {
    var candidates = [url]
    if let decoded = WebPath.decode(Substring(url)), decoded != url { candidates.append(decoded) }
    for candidate in candidates {
      guard let found = try catalog.archivedRequisite(url: candidate, nearest: time) else { continue }
      var holder = found
      if found.recordType == "revisit", let digest = found.payloadDigest,
        let original = try catalog.archivedPayload(digest: digest)
      {
        holder = original
      }
      guard let location = holder.location else { continue }
      return (try StoredResponse.read(location, storeRoot: layout.root), found.fetchedAt)
    }
    return nil
  }

  /// Bytes of every `.warc.gz` under `warc/` (a directory listing, for `/metrics`).
  func archiveBytes() -> Int64 {
    let dir = layout.warcDirectory
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    var total: Int64 = 0
    for name in names where name.hasSuffix(".warc.gz") {
      let size = (try? FileManager.default.attributesOfItem(atPath: dir + "/" + name)[.size] as? NSNumber)?.int64Value
      total += size ?? 0
    }
    return total
  }
}
