public import Foundation
public import SKCurl
public import SKSystem
internal import SKZlib

/// One URL to fetch, with what is known from earlier checks.
public struct FetchRequest: Sendable, Hashable {
  /// The absolute URL.
  public var url: String
  /// The previous `ETag`; sent as `If-None-Match`.
  public var etag: String?
  /// The previous `Last-Modified`; sent as `If-Modified-Since`.
  public var lastModified: String?
  /// Extra request headers (e.g. a requisite's `Referer` and image `Accept`), sent on every
  /// hop; one with the name of a default header (`Accept`) replaces it. A name or value with
  /// CR, LF, NUL or another control character is dropped, never sent.
  public var extraHeaders: [RequestHeader] = []
  /// A body cap for this request in bytes, below `fetch.max_body_mb` (a requisite's
  /// `capture.max_requisite_mb`); nil: the fetch's own cap.
  public var maxBodyBytes: Int? = nil

  public init(
    url: String, etag: String? = nil, lastModified: String? = nil, extraHeaders: [RequestHeader] = [],
    maxBodyBytes: Int? = nil
  ) {
    self.url = url
    self.etag = etag
    self.lastModified = lastModified
    self.extraHeaders = extraHeaders
    self.maxBodyBytes = maxBodyBytes
  }

  /// Requests merged while in flight share this key: the same URL asked the same way.
  var mergeKey: String {
    if extraHeaders.isEmpty && maxBodyBytes == nil { return url }
    let headers = extraHeaders.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
    return url + "\n" + headers + "\n" + String(maxBodyBytes ?? -1)
  }
}

/// One extra request header field.
public struct RequestHeader: Sendable, Hashable {
  public var name: String
  public var value: String

  public init(_ name: String, _ value: String) {
    self.name = name
    self.value = value
  }

  /// Whether it can go on the wire as it is: a token name, a value without CR, LF, NUL or
  /// other control characters (no header injection from a page's URLs).
  public var isSendable: Bool {
    !name.isEmpty && name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7f && $0 != UInt8(ascii: ":") }
      && HeaderValue.isSendable(value)
  }
}

/// One HTTP request/response pair exactly as it crossed the wire (one redirect hop).
///
/// The capture pipeline writes these bytes into WARC `request` and `response` records, so
/// nothing here is normalised: header bytes are verbatim, the body is as received (content
/// encoding intact) with only chunked framing removed.
public struct Exchange: Sendable {
  /// The URL requested.
  public var url: String
  /// When the request was handed to libcurl.
  public var startedAt: Date
  /// Request line and headers as sent, blank line included.
  public var requestHeader: [UInt8]
  /// Status line and headers as received, blank line included.
  public var responseHeader: [UInt8]
  /// The body as received (not content-decoded, de-chunked); empty when it is in `spool`.
  public var body: [UInt8]
  /// The body, when it was larger than the spool threshold (`FetchTuning.spoolThreshold`):
  /// a file under `<storage.dir>/tmp`, removed once the last holder lets go
  /// (docs/design.md#spooled-bodies).
  public var spool: SpoolFile? = nil
  /// The body's length, in memory or spooled.
  public var bodyLength: Int { spool?.size ?? body.count }
  /// Whether the body was cut at `max_body_mb`.
  public var truncated: Bool
  /// The HTTP status code (0 if no response).
  public var httpStatus: Int
  /// The peer address, e.g. `127.0.0.1`.
  public var remoteIP: String?
  /// The peer port.
  public var remotePort: Int
  /// DNS, connect, TLS, first byte and total, in ms.
  public var timings: TransferTimings

  /// The response head, parsed (the one HTTP head parser, shared with the archive).
  public var head: HTTPMessageHead? { HTTPMessageHead(responseHeader) }

  /// The response's header fields in order (names as received).
  public var headers: [(name: String, value: String)] { head?.fields ?? [] }

  /// The first value of header `name` (case-insensitive).
  public func header(_ name: String) -> String? { head?.value(name) }

  /// The status line, e.g. `HTTP/1.1 200 OK`.
  public var statusLine: String { head?.startLine ?? "" }

}

/// One step of a redirect chain (the probe contract's `hops`).
public struct Hop: Sendable, Equatable, Codable {
  /// The URL requested.
  public var url: String
  /// Its HTTP status, nil if no response arrived.
  public var httpStatus: Int?
  /// Its `Location` header, resolved to an absolute URL, for redirects.
  public var location: String?

  public init(url: String, httpStatus: Int?, location: String?) {
    self.url = url
    self.httpStatus = httpStatus
    self.location = location
  }

  enum CodingKeys: String, CodingKey {
    case url
    case httpStatus = "http_status"
    case location
  }
}

/// One attempt at a URL (the first try or a retry), with its whole redirect chain.
public struct FetchAttempt: Sendable {
  /// The status this attempt alone would give.
  public var status: CheckStatus
  /// Why, for unreachable/excluded.
  public var reason: CheckReason?
  /// The last HTTP status seen, nil if none.
  public var httpStatus: Int?
  /// The redirect chain.
  public var hops: [Hop]
  /// One exchange per hop that got a response (or a partial one).
  public var exchanges: [Exchange]
  /// The transport error of the last hop, if any.
  public var error: CurlError?
  /// The `Retry-After` the server asked for.
  public var retryAfter: Duration?
  /// The wait before the next attempt, when one followed.
  public var delayBeforeNext: Duration?
  /// True when nothing was sent: the run was stopping when this link's turn came (see
  /// `Fetcher.shouldStart`); the link is left for the next run, not recorded as a check.
  public var notStarted = false

  /// Drops the bodies of a superseded attempt (one that was retried): only the final attempt
  /// is archived or classified, so holding earlier bodies would only grow a link's memory
  /// (up to `max_body_mb` per hop per attempt). Headers, statuses and hops stay for reports.
  mutating func shedBodies() {
    for i in exchanges.indices {
      exchanges[i].body = []
      exchanges[i].body.reserveCapacity(0)
      // Nobody else holds a superseded attempt: dropping it unlinks its spool file.
      exchanges[i].spool = nil
    }
  }
}

/// The outcome of fetching one URL: the final status and everything seen on the way.
public struct FetchResult: Sendable {
  /// What was asked.
  public var request: FetchRequest
  /// The final attempt's status (docs/design.md#check-status; soft-404/drifted/blocked
  /// detection belongs to the page classifier and is not made here).
  public var status: CheckStatus
  /// Why, for unreachable/excluded.
  public var reason: CheckReason?
  /// The final HTTP status, nil if none.
  public var httpStatus: Int?
  /// The URL of the final response.
  public var finalURL: String
  /// Every attempt, the final one last.
  public var attempts: [FetchAttempt]
  /// Wall time of the whole fetch, retries included, in ms.
  public var elapsedMs: Double

  /// The final attempt.
  public var finalAttempt: FetchAttempt { attempts[attempts.count - 1] }
  /// Nothing was sent: the run stopped before this link's request (see `Fetcher.shouldStart`).
  public var notStarted: Bool { finalAttempt.notStarted }
  /// The final attempt's redirect chain.
  public var hops: [Hop] { finalAttempt.hops }
  /// The final response exchange, if any.
  public var exchange: Exchange? { finalAttempt.exchanges.last }
  /// The final response's `Content-Type`.
  public var contentType: String? { exchange?.header("Content-Type") }
  /// A one-line explanation for failures (libcurl's message and the remedy).
  public var errorMessage: String? { finalAttempt.error?.description }

  /// The final body with its `Content-Encoding` undone, for parsing.
  ///
  /// - Parameter limit: the largest decoded size accepted (decompression bombs). Default 64 MiB.
  /// - Throws: `FetchError.undecodableBody` for an unknown or corrupt encoding, or past `limit`.
  public func decodedBody(limit: Int = 64 << 20) throws(FetchError) -> [UInt8] {
    guard let exchange else { return [] }
    var body = exchange.body
    var cut = exchange.truncated
    if let spool = exchange.spool {
      // A spooled body is read back only up to `spooledParseCap` (docs/design.md#spooled-bodies).
      do {
        body = try spool.read(at: 0, count: Self.spooledParseCap)
      } catch {
        throw FetchError(.undecodableBody, "\(exchange.url): cannot read the spooled body back (\(error))")
      }
      cut = cut || spool.size > body.count
    }
    return try Self.decode(
      body, contentEncoding: exchange.header("Content-Encoding"), url: exchange.url, limit: limit,
      allowTruncated: cut)
  }

  /// The most of a spooled body read back into memory for parsing: 4 MiB. Article pages are
  /// 0.1–3 MB, and the text, metadata and images of an article sit in its first megabytes;
  /// what makes an HTML page larger is inline data (base64 images, JSON state) that the
  /// extraction does not use. Parsing costs memory per input byte (measured: an 8 MiB prefix of
  /// dense `<p>` markup took a debug `ingest now` to 181 MB peak RSS, a 64 MiB non-HTML body
  /// 58 MB), and parses run on the cooperative pool, one per core, so this cap times the cores
  /// bounds what parsing holds however many transfers are in flight.
  public static let spooledParseCap = 4 << 20

  /// A body with its `Content-Encoding` undone (gzip, deflate, identity): the fetcher's pages
  /// and `show --format original`'s archived bodies alike.
  /// - Throws: `FetchError.undecodableBody` naming `url`, for an unknown or corrupt encoding or past `limit`.
  public static func decode(
    _ body: [UInt8], contentEncoding: String?, url: String, limit: Int = 64 << 20, allowTruncated: Bool = false
  ) throws(FetchError) -> [UInt8] {
    let encoding = (contentEncoding ?? "identity").lowercased().trimmingWhitespace()
    let kind: Inflater.Encoding
    switch encoding {
    case "", "identity": return body
    case "gzip", "x-gzip": kind = .gzip
    case "deflate": kind = .deflate
    default:
      throw FetchError(
        .undecodableBody,
        "\(url): Content-Encoding \"\(encoding)\" is not supported; the raw body is still archived")
    }
    do {
      return try Inflater.decode(body, encoding: kind, limit: limit, allowTruncated: allowTruncated)
    } catch {
      throw FetchError(
        .undecodableBody,
        "\(url): \(encoding) body could not be decoded (\(error.message)); the raw body is still archived")
    }
  }
}

/// Fetcher knobs that are not `[fetch]` config keys; defaults suit production, tests shrink them.
public struct FetchTuning: Sendable {
  /// Below this many bytes per second for `lowSpeedTimeS`, a transfer fails as `timeout`
  /// (slow-drip servers). Default 100 B/s.
  public var lowSpeedLimit: Int = 100
  /// See `lowSpeedLimit`. Default 15 s.
  public var lowSpeedTimeS: Int = 15
  /// Backoff base. Default 500 ms.
  public var backoffBase: Duration = .milliseconds(500)
  /// Backoff ceiling. Default 30 s.
  public var backoffMax: Duration = .seconds(30)
  /// Longest `Retry-After` honoured. Default 120 s.
  public var retryAfterCap: Duration = .seconds(120)
  /// The spool folder (`<storage.dir>/tmp`, `StoreLayout.tmpDirectory`); nil keeps every
  /// body in memory (commands without a store, such as `probe`).
  public var spoolDirectory: String? = nil
  /// Bodies above this many bytes are written to the spool folder as they arrive. Default
  /// 1 MiB: an article page's HTML is usually below (it is parsed from memory without a read
  /// back), while large bodies (video, PDF, big images, hostile pages) no longer cost
  /// `max_body_mb` of memory each: with 32 transfers in flight the bodies held in memory stay
  /// under 32 MiB (docs/design.md#spooled-bodies).
  public var spoolThreshold: Int = 1 << 20

  public init() {}
}
