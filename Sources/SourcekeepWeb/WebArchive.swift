import Foundation
import SourcekeepCore

/// What the web view reads, and only reads (docs/design.md#web-view): the catalog opened as a WAL
/// reader (no migration, no store lock, the daemon keeps writing) and WARC records at the
/// offsets the catalog gives. No request ever names a file.
struct WebArchive: Sendable {
  let catalog: Catalog
  let layout: StoreLayout
  let config: Config
  /// Readable copies as the copy page embeds them, by conversion record and capture time.
  let renditions = RecordCache<String>(capacity: WebArchive.renditionBudget)

  /// Archived bodies as `id_` and `im_` serve them, by record location.
  let originals = RecordCache<ArchivedBody>(capacity: WebArchive.originalBudget, maxValue: WebArchive.maxKeptOriginal)

  /// Memory for kept readable copies: ~1,000 articles of ~30 KB (docs/performance.md#web-view).
  static let renditionBudget = 32 << 20
  /// Memory for kept archived bodies: ~500 pages of ~60 KB, or their images.
  static let originalBudget = 32 << 20
  /// Larger bodies (a video, a big PDF) are read for each request and never kept: one of them
  /// would push out hundreds of pages.
  static let maxKeptOriginal = 1 << 20

  /// The captures of the link an address names, oldest first: its cited URL as given, else
  /// percent-decoded (a browser encodes non-ASCII and spaces on the way in); nil when the
  /// archive does not know the URL. One catalog transaction.
  func lookup(_ url: String) throws -> MementoLookup? {
    var candidates = [url]
    if let decoded = WebPath.decode(Substring(url)), decoded != url { candidates.append(decoded) }
    return try catalog.mementoLookup(urls: candidates)
  }

  /// `lookup` as (cited URL, captures); no captures when the URL is unknown.
  func mementos(for url: String) throws -> (url: String, mementos: [Memento]) {
    guard let found = try lookup(url) else { return (url, []) }
    return (found.mementos.first?.url ?? found.url, found.mementos)
  }

  /// The archived response of a capture; a revisit is answered from the first response
  /// with the same payload digest. Kept in `originals` by the capture's own record: the
  /// record, and the response a revisit repeats, never change (docs/performance.md#web-view).
  func response(_ memento: Memento) throws -> ArchivedBody {
    let key = "\(memento.location.file)@\(memento.location.offset)@\(memento.snapshotID)"
    let body = try originals.value(key) { () throws -> (value: ArchivedBody, bytes: Int)? in
      var location = memento.location
      if memento.recordType == "revisit" {
        guard let original = try catalog.responseLocation(payloadDigest: memento.payloadDigest, linkID: memento.linkID)
        else {
          throw CatalogError(
            path: catalog.path, message: "revisit of \(memento.url): no response with payload \(memento.payloadDigest)")
        }
        location = original
      }
      let made = ArchivedBody(try StoredResponse.read(location, storeRoot: layout.root))
      return (made, made.bytes)
    }
    guard let body else { throw CatalogError(path: catalog.path, message: "\(memento.url): no archived response") }
    return body
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

  /// The readable rendition of a capture (#15's WARC `conversion` record) as the copy page
  /// embeds it (`ReadableEmbed`: body only, archived images at `im_` addresses, the others
  /// noted), or nil when the capture has none (captured before renditions existed, or not
  /// HTML) or it cannot be read. Kept in `renditions`: the record and the capture's requisites
  /// never change. `all` is the link's captures (a revisit's images are its response's).
  func readable(_ memento: Memento, among all: [Memento]) -> String? {
    guard let at = memento.conversion else { return nil }
    let timestamp = MementoTime.digits(memento.capturedAt)
    return renditions.value("\(at.file)@\(at.offset)@\(memento.snapshotID)") {
      guard let html = try? conversionBlock(at) else { return nil }
      let images = requisites(memento, among: all)
      let body = ReadableEmbed.body(html, timestamp: timestamp) { url in
        switch images[url] {
        case .archived?: .archived
        case nil where !images.isEmpty: .skipped  // not a requisite: skipped at discovery
        default: .missing
        }
      }
      return (body, body.utf8.count)
    }
  }

  /// What became of each image a capture needed, by URL (docs/design.md#page-requisites); a
  /// revisit (an unchanged page) has those of the response it repeats. Empty for a capture
  /// made without requisites.
  func requisites(_ memento: Memento, among all: [Memento]) -> [String: RequisiteStatus] {
    var rows = (try? catalog.requisites(forSnapshot: memento.snapshotID)) ?? []
    if rows.isEmpty, memento.recordType == "revisit",
      let original = all.last(where: {
        $0.recordType == "response" && $0.payloadDigest == memento.payloadDigest && $0.capturedAt <= memento.capturedAt
      })
    {
      rows = (try? catalog.requisites(forSnapshot: original.snapshotID)) ?? []
    }
    var out: [String: RequisiteStatus] = [:]
    for row in rows where out[row.url] != .archived { out[row.url] = row.status }
    return out
  }

  /// The HTML of the `conversion` record at `at` (a catalog location under `warc/`).
  func conversionBlock(_ at: WARCFile.Location) throws -> String {
    let parts = at.file.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, parts[0] == "warc", !parts[1].isEmpty, !parts[1].hasPrefix(".") else {
      throw ArchivedCopyError("\(at.file): not a file under warc/")
    }
    let (record, _) = try WARCFile.record(at: at.offset, in: layout.root + "/" + at.file, length: at.length)
    guard record.type == .conversion else {
      throw ArchivedCopyError("\(at.file)@\(at.offset): a \(record.type?.rawValue ?? "?") record, not a readable copy")
    }
    return String(decoding: record.block, as: UTF8.self)
  }

  /// An archived page requisite (an image) by its URL, nearest `time`: its response record
  /// (a revisit's payload is in the first response with its digest) and when it was fetched.
  func requisite(_ url: String, nearest time: Date) throws -> (ArchivedBody, Date)? {
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
      let body = try originals.value("\(location.file)@\(location.offset)") {
        () throws -> (value: ArchivedBody, bytes: Int)? in
        let made = ArchivedBody(try StoredResponse.read(location, storeRoot: layout.root))
        return (made, made.bytes)
      }
      guard let body else { continue }
      return (body, found.fetchedAt)
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
