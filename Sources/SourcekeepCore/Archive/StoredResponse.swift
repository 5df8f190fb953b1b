import Foundation
import SKZlib

/// An archived HTTP response read back from its WARC record: what the web view's `id_` and
/// `im_` routes serve (docs/design.md#web-view).
public struct StoredResponse: Sendable {
  /// `WARC-Target-URI` of the record.
  public var targetURI: String
  /// The response head as archived (nil when the block holds none).
  public var head: HTTPMessageHead?
  /// The body, with a `gzip`/`deflate` content coding undone (so it can be served with its
  /// content type alone); other codings are kept, named by `contentEncoding`.
  public var body: [UInt8]
  /// A content coding still applied to `body` (`br`, …), or nil.
  public var contentEncoding: String?
  /// `WARC-Truncated` was set: the body is cut at `max_body_mb`.
  public var truncated: Bool

  /// The archived `Content-Type`, if any.
  public var contentType: String? { head?.value("Content-Type") }

  /// Bodies are inflated up to this size (the capture cap is 20 MB compressed by default).
  public static let inflateLimit = 64 << 20

  /// Reads the `response` record at `location` under `storeRoot`.
  ///
  /// `location.file` comes from the catalog (`warc/NAME.warc.gz`), never from a request; a
  /// path that leaves `warc/` is refused all the same.
  /// - Throws: `WARCFormatError` naming the file and what is wrong.
  public static func read(_ location: WARCFile.Location, storeRoot: String) throws(WARCFormatError) -> StoredResponse {
    let parts = location.file.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, parts[0] == "warc", !parts[1].isEmpty, !parts[1].hasPrefix(".") else {
      throw WARCFormatError(message: "\(location.file): not a file under warc/")
    }
    let (record, _) = try WARCFile.record(
      at: location.offset, in: storeRoot + "/" + location.file, length: location.length)
    guard record.type == .response else {
      throw WARCFormatError(
        message:
          "\(location.file) at offset \(location.offset): a \(record.type?.rawValue ?? "?") record, not a response")
    }
    return parse(record)
  }

  /// Splits a response record's block into head and body.
  static func parse(_ record: WARCRecord) -> StoredResponse {
    let block = record.block
    var head: HTTPMessageHead?
    var body = block
    if let end = firstBlankLine(in: block) {
      head = HTTPMessageHead(Array(block[..<end.lowerBound]))
      body = Array(block[end.upperBound...])
    }
    let truncated = record.header("WARC-Truncated") != nil
    var encoding = head?.value("Content-Encoding")?.trimmingCharacters(in: .whitespaces).lowercased()
    if let coding = encoding, coding == "gzip" || coding == "x-gzip" || coding == "deflate" {
      if let decoded = try? Inflater.decode(
        body, encoding: coding == "deflate" ? .deflate : .gzip, limit: inflateLimit, allowTruncated: truncated)
      {
        body = decoded
        encoding = nil
      }
    } else if encoding == "identity" || encoding == "" {
      encoding = nil
    }
    return StoredResponse(
      targetURI: record.targetURI ?? "", head: head, body: body, contentEncoding: encoding, truncated: truncated)
  }
}
