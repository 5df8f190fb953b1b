public import Foundation
public import SKSystem

/// One HTTP exchange as the archive stores it.
public struct ArchivedExchange: Sendable {
  /// The URL requested (this hop).
  public var targetURI: String
  /// The request head exactly as sent (request line, headers, blank line).
  public var requestHead: [UInt8]
  /// The response head as received.
  public var responseHead: [UInt8]
  /// The response body as received on the wire, chunked framing removed, not content-decoded;
  /// empty when it is in `bodyFile`.
  public var body: [UInt8]
  /// The body, when it was spooled to a file (docs/design.md#spooled-bodies).
  public var bodyFile: SpoolFile?
  /// The body's length, in memory or spooled.
  public var bodyLength: Int { bodyFile?.size ?? body.count }
  /// The server's address.
  public var remoteIP: String?
  /// The body was cut at `max_body_mb`.
  public var truncated: Bool
  /// When the response arrived.
  public var date: Date

  public init(
    targetURI: String, requestHead: [UInt8], responseHead: [UInt8], body: [UInt8], remoteIP: String?,
    truncated: Bool, date: Date, bodyFile: SpoolFile? = nil
  ) {
    self.bodyFile = bodyFile
    self.targetURI = targetURI
    self.requestHead = requestHead
    self.responseHead = responseHead
    self.body = body
    self.remoteIP = remoteIP
    self.truncated = truncated
    self.date = date
  }
}

/// Makes WARC/1.1 records with every header fixed by construction: ids, dates, content
/// types, lengths and both digests. The clock and id generator are injected so tests can
/// compare golden bytes (warcio's `FixedTestRecordMixin` does the same).
public struct WARCRecordBuilder: Sendable {
  /// The identical-payload-digest revisit profile (WARC/1.1 §6.7.2).
  public static let revisitProfile = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"

  public var makeID: @Sendable () -> String

  public init(makeID: @escaping @Sendable () -> String = { "<urn:uuid:\(UUID().uuidString.lowercased())>" }) {
    self.makeID = makeID
  }

  /// The `warcinfo` record that starts every file.
  public func warcinfo(fileName: String, date: Date, fields: [(String, String)]) -> WARCRecord {
    var text = ""
    for (k, v) in fields { text += "\(k): \(v)\r\n" }
    let block = Array(text.utf8)
    return WARCRecord(
      headers: [
        ("WARC-Type", "warcinfo"), ("WARC-Record-ID", makeID()), ("WARC-Date", Self.date(date)),
        ("WARC-Filename", fileName), ("Content-Type", "application/warc-fields"),
        ("WARC-Block-Digest", SHA1.warcDigest(block)), ("Content-Length", String(block.count)),
      ], block: block)
  }

  /// A `response` record and its `request` record (linked by `WARC-Concurrent-To`).
  /// - Returns: (response, request, payload digest of the stored body).
  public func exchange(_ x: ArchivedExchange, warcinfoID: String?) -> (
    response: WARCRecord, request: WARCRecord, payloadDigest: String
  ) {
    let head = HTTPMessageHead(x.responseHead).map { $0.forStoredBody(length: x.bodyLength).bytes } ?? x.responseHead
    let (payloadDigest, blockDigest) = Self.digests(head: head, x)
    let responseID = makeID()
    let date = Self.date(x.date)
    var responseHeaders: [(String, String)] = [
      ("WARC-Type", "response"), ("WARC-Record-ID", responseID), ("WARC-Date", date),
      ("WARC-Target-URI", x.targetURI),
    ]
    if let ip = x.remoteIP { responseHeaders.append(("WARC-IP-Address", ip)) }
    if let warcinfoID { responseHeaders.append(("WARC-Warcinfo-ID", warcinfoID)) }
    responseHeaders += [
      ("Content-Type", "application/http;msgtype=response"),
      ("WARC-Payload-Digest", payloadDigest), ("WARC-Block-Digest", blockDigest),
    ]
    if x.truncated { responseHeaders.append(("WARC-Truncated", "length")) }
    responseHeaders.append(("Content-Length", String(head.count + x.bodyLength)))

    var requestHeaders: [(String, String)] = [
      ("WARC-Type", "request"), ("WARC-Record-ID", makeID()), ("WARC-Date", date),
      ("WARC-Target-URI", x.targetURI), ("WARC-Concurrent-To", responseID),
    ]
    if let ip = x.remoteIP { requestHeaders.append(("WARC-IP-Address", ip)) }
    if let warcinfoID { requestHeaders.append(("WARC-Warcinfo-ID", warcinfoID)) }
    requestHeaders += [
      ("Content-Type", "application/http;msgtype=request"),
      ("WARC-Block-Digest", SHA1.warcDigest(x.requestHead)), ("Content-Length", String(x.requestHead.count)),
    ]
    let response =
      x.bodyFile.map { WARCRecord(headers: responseHeaders, block: head, blockFile: $0) }
      ?? WARCRecord(headers: responseHeaders, block: head + x.body)
    return (response, WARCRecord(headers: requestHeaders, block: x.requestHead), payloadDigest)
  }

  /// The payload digest (the body) and the block digest (head and body) of a response, read
  /// in chunks when the body is spooled. An unreadable spool file gives empty digests, which
  /// `WARCWriter.member` refuses (it reads the same file and reports the error).
  static func digests(head: [UInt8], _ x: ArchivedExchange) -> (payload: String, block: String) {
    var payload = SHA1()
    var block = SHA1()
    block.update(head)
    // Head and body hashed where they lie, without joining them into one buffer.
    let read = forEachBodyChunk(x) { chunk in
      payload.update(chunk)
      block.update(chunk)
    }
    guard read else { return ("", "") }
    return ("sha1:" + Base32.encode(payload.finalize()), "sha1:" + Base32.encode(block.finalize()))
  }

  /// The `WARC-Payload-Digest` `exchange` gives `x`, without making its records: a re-check
  /// compares it with the archived payload before deciding whether to archive anything
  /// (docs/design.md#revisits-on-re-check). Empty when a spooled body cannot be read.
  public static func payloadDigest(_ x: ArchivedExchange) -> String {
    var payload = SHA1()
    guard forEachBodyChunk(x, { payload.update($0) }) else { return "" }
    return "sha1:" + Base32.encode(payload.finalize())
  }

  /// Gives the stored body to `body`, whole or a chunk at a time when it is spooled.
  /// - Returns: false when the spool file could not be read.
  private static func forEachBodyChunk(_ x: ArchivedExchange, _ body: ([UInt8]) -> Void) -> Bool {
    guard let file = x.bodyFile else {
      body(x.body)
      return true
    }
    return (try? file.forEachChunk { (chunk: [UInt8]) in body(chunk) }) != nil
  }

  /// A `revisit` record for an unchanged payload: the response head only, pointing at the
  /// record that holds the payload.
  public func revisit(
    _ x: ArchivedExchange, refersTo: String, refersToURI: String, refersToDate: Date, warcinfoID: String?
  ) -> WARCRecord {
    let head = HTTPMessageHead(x.responseHead).map { $0.forStoredBody(length: x.bodyLength).bytes } ?? x.responseHead
    var headers: [(String, String)] = [
      ("WARC-Type", "revisit"), ("WARC-Record-ID", makeID()), ("WARC-Date", Self.date(x.date)),
      ("WARC-Target-URI", x.targetURI),
    ]
    if let ip = x.remoteIP { headers.append(("WARC-IP-Address", ip)) }
    if let warcinfoID { headers.append(("WARC-Warcinfo-ID", warcinfoID)) }
    headers += [
      ("WARC-Profile", Self.revisitProfile), ("WARC-Refers-To", refersTo),
      ("WARC-Refers-To-Target-URI", refersToURI), ("WARC-Refers-To-Date", Self.date(refersToDate)),
      ("Content-Type", "application/http;msgtype=response"),
      ("WARC-Payload-Digest", x.bodyFile == nil ? SHA1.warcDigest(x.body) : Self.digests(head: [], x).payload),
      ("WARC-Block-Digest", SHA1.warcDigest(head)),
      ("Content-Length", String(head.count)),
    ]
    return WARCRecord(headers: headers, block: head)
  }

  /// A `metadata` record (extraction JSON) about the record `refersTo`.
  ///
  /// Give it a target URI of its own (sourcekeep uses `urn:sourcekeep:extract:<url>`, as
  /// wget uses `metadata://…` and Browsertrix `urn:pageinfo:…`): replay tools such as pywb
  /// index every record by its target URI, and a metadata record under the page's own URL
  /// would be served in place of the page.
  public func metadata(targetURI: String, refersTo: String, date: Date, json: String, warcinfoID: String?)
    -> WARCRecord
  {
    let block = Array(json.utf8)
    var headers: [(String, String)] = [
      ("WARC-Type", "metadata"), ("WARC-Record-ID", makeID()), ("WARC-Date", Self.date(date)),
      ("WARC-Target-URI", targetURI), ("WARC-Refers-To", refersTo), ("WARC-Concurrent-To", refersTo),
    ]
    if let warcinfoID { headers.append(("WARC-Warcinfo-ID", warcinfoID)) }
    headers += [
      ("Content-Type", "application/json"), ("WARC-Block-Digest", SHA1.warcDigest(block)),
      ("Content-Length", String(block.count)),
    ]
    return WARCRecord(headers: headers, block: block)
  }

  /// The target URI of a page's readable rendition: `urn:sourcekeep:readable:<page URL>`.
  ///
  /// Not the page's own URL: pywb indexes every record by its target URI (a conversion record
  /// gets a made-up `200 text/html` head) and served the rendition in place of the original
  /// page (`make test-replay` failed). Browsertrix keeps its extracted text under `urn:text:`
  /// for the same reason. The page's URL is in `WARC-Refers-To-Target-URI`.
  public static func readableTargetURI(_ pageURL: String) -> String { "urn:sourcekeep:readable:" + pageURL }

  /// A `conversion` record (WARC/1.1 §6.8): the readable rendition of the page at `pageURL`
  /// whose response record is `refersTo` (docs/design.md#readable-copies), an HTML document
  /// (`text/html; charset=utf-8`, no HTTP head).
  public func conversion(pageURL: String, refersTo: String, date: Date, html: [UInt8], warcinfoID: String?)
    -> WARCRecord
  {
    let digest = SHA1.warcDigest(html)
    var headers: [(String, String)] = [
      ("WARC-Type", "conversion"), ("WARC-Record-ID", makeID()), ("WARC-Date", Self.date(date)),
      ("WARC-Target-URI", Self.readableTargetURI(pageURL)), ("WARC-Refers-To", refersTo),
      ("WARC-Refers-To-Target-URI", pageURL),
    ]
    if let warcinfoID { headers.append(("WARC-Warcinfo-ID", warcinfoID)) }
    headers += [
      ("Content-Type", "text/html; charset=utf-8"), ("WARC-Payload-Digest", digest), ("WARC-Block-Digest", digest),
      ("Content-Length", String(html.count)),
    ]
    return WARCRecord(headers: headers, block: html)
  }

  /// WARC-Date: UTC, W3C-ISO8601, second precision (what every replay tool parses).
  public static func date(_ d: Date) -> String {
    String(Timestamp.string(d).prefix(19)) + "Z"
  }
}
