public import Foundation

/// Loads what the archive holds about one cited URL: which capture to show, its readable
/// rendition, its original response body (docs/architecture.md#archived-copy).
///
/// Read-only and lock-free: it reads the catalog (opened with `Catalog.openForReading` by
/// `show`, or the web view's own reader) and WARC records at the catalog's offsets, so it
/// works while the daemon writes. `show` and the web view share it.
public struct ArchivedCopy: Sendable {
  public let catalog: Catalog
  public let layout: StoreLayout

  public init(catalog: Catalog, layout: StoreLayout) {
    self.catalog = catalog
    self.layout = layout
  }

  /// What the archive has for a URL.
  public enum Lookup: Sendable {
    /// The catalog does not know the URL.
    case unknown
    /// A known link without any capture (its state says why).
    case notCaptured(LinkCaptures)
    /// The chosen capture (an index into `captures`).
    case capture(LinkCaptures, Int)
  }

  /// The capture to show: the one nearest `at` (ties: the earlier), else the one the report
  /// points at (first good capture of a drifted link, else the newest).
  public func find(url: String, at: Date? = nil) throws(CatalogError) -> Lookup {
    guard let link = try catalog.captures(of: url) else { return .unknown }
    guard !link.captures.isEmpty else { return .notCaptured(link) }
    if let at {
      let nearest = link.captures.indices.min { a, b in
        abs(link.captures[a].pointer.capturedAt.timeIntervalSince(at))
          < abs(link.captures[b].pointer.capturedAt.timeIntervalSince(at))
      }
      return .capture(link, nearest ?? link.captures.count - 1)
    }
    return .capture(link, link.preferred ?? link.captures.count - 1)
  }

  /// The readable rendition's HTML as archived (the `conversion` record's block), or nil when
  /// the capture has none (a capture made before renditions existed, or not HTML).
  public func readableHTML(_ capture: CaptureRow) throws(ArchivedCopyError) -> String? {
    guard let at = capture.pointer.conversion else { return nil }
    let record = try record(at)
    guard record.type == .conversion else {
      throw ArchivedCopyError(
        "\(at.file)@\(at.offset) is a \(record.type?.rawValue ?? "?") record, not the readable copy")
    }
    return String(decoding: record.block, as: UTF8.self)
  }

  /// The archived response of a capture: the HTTP head as stored and the body with its
  /// `Content-Encoding` undone (a revisit's body is its original response's).
  public func original(_ capture: CaptureRow) throws(ArchivedCopyError) -> ArchivedResponse {
    var pointer = capture.pointer
    if pointer.recordType == "revisit" {
      let found: SnapshotPointer?
      do { found = try catalog.originalResponse(of: pointer) } catch { throw ArchivedCopyError("\(error)") }
      guard let found else {
        throw ArchivedCopyError(
          "the capture of \(pointer.url) at \(Timestamp.string(pointer.capturedAt)) repeats a payload the catalog no longer lists"
        )
      }
      pointer = found
    }
    return try original(at: pointer.location, url: pointer.url)
  }

  /// The response record at `at` (a `response`, not a revisit): head and decoded body.
  public func original(at: WARCFile.Location, url: String) throws(ArchivedCopyError) -> ArchivedResponse {
    let record = try record(at)
    guard let end = ArchiveVerifier.httpHeadEnd(record.block), let head = HTTPMessageHead(Array(record.block[..<end]))
    else {
      throw ArchivedCopyError("\(at.file)@\(at.offset) holds no HTTP response")
    }
    let raw = Array(record.block[end...])
    let body: [UInt8]
    do {
      body = try FetchResult.decode(
        raw, contentEncoding: head.value("Content-Encoding"), url: record.targetURI ?? url,
        allowTruncated: record.header("WARC-Truncated") != nil)
    } catch {
      throw ArchivedCopyError("\(error)")
    }
    return ArchivedResponse(head: head, body: body, targetURI: record.targetURI ?? url)
  }

  /// The record at a catalog location.
  func record(_ at: WARCFile.Location) throws(ArchivedCopyError) -> WARCRecord {
    do {
      return try WARCFile.record(at: at, root: layout.root)
    } catch {
      throw ArchivedCopyError(
        "cannot read \(at.file)@\(at.offset) under \(layout.root): \(error); run `sourcekeep verify`")
    }
  }
}

/// An archived HTTP response: head as stored, body decoded.
public struct ArchivedResponse: Sendable {
  public var head: HTTPMessageHead
  public var body: [UInt8]
  /// The URL the response answered (the last redirect hop).
  public var targetURI: String
  /// The response's `Content-Type`.
  public var contentType: String? { head.value("Content-Type") }
}

/// Why an archived copy could not be read, naming the WARC file and offset.
public struct ArchivedCopyError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public var description: String { message }
  public init(_ message: String) { self.message = message }
}
