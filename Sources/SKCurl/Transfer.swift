public import SKSystem

/// One HTTP/1.1 GET as the engine runs it: everything libcurl needs, as Swift values.
///
/// The fetcher decides policy (which URL, which headers, which addresses are allowed);
/// the engine only executes. Redirects are not followed here: the fetcher follows them
/// hop by hop so every hop passes the same checks.
public struct TransferSpec: Sendable {
  /// The absolute http(s) URL.
  public var url: String
  /// Extra request header lines, `Name: value` (no CRLF).
  public var headers: [String]
  /// The `User-Agent` header value.
  public var userAgent: String
  /// Connect timeout in milliseconds (`CURLOPT_CONNECTTIMEOUT_MS`).
  public var connectTimeoutMs: Int
  /// Whole-transfer timeout in milliseconds (`CURLOPT_TIMEOUT_MS`).
  public var timeoutMs: Int
  /// Below this many bytes a second for `lowSpeedTimeS` seconds the transfer fails as a timeout.
  public var lowSpeedLimit: Int
  /// See `lowSpeedLimit`.
  public var lowSpeedTimeS: Int
  /// Body bytes kept; more are not read and the outcome is marked truncated.
  public var maxBodyBytes: Int
  /// Which proxy carries the request.
  public var proxy: TransferProxy
  /// Called on the engine thread with the raw address bytes (4 or 16) before any socket
  /// is opened; `false` refuses the address and the connection is never made.
  public var admitAddress: @Sendable ([UInt8]) -> Bool
  /// Where a large body goes instead of memory; nil keeps every body in memory.
  public var spool: BodySpool?
  /// Called on the engine thread once the request head has been handed to the socket, with
  /// the time (the politeness interval runs from here).
  public var onRequestSent: (@Sendable (ContinuousClock.Instant) -> Void)?

  public init(
    url: String, headers: [String] = [], userAgent: String, connectTimeoutMs: Int = 10_000,
    timeoutMs: Int = 30_000, lowSpeedLimit: Int = 0, lowSpeedTimeS: Int = 0,
    maxBodyBytes: Int = 20 << 20, proxy: TransferProxy = .none,
    admitAddress: @escaping @Sendable ([UInt8]) -> Bool = { _ in true }
  ) {
    self.url = url
    self.headers = headers
    self.userAgent = userAgent
    self.connectTimeoutMs = connectTimeoutMs
    self.timeoutMs = timeoutMs
    self.lowSpeedLimit = lowSpeedLimit
    self.lowSpeedTimeS = lowSpeedTimeS
    self.maxBodyBytes = maxBodyBytes
    self.proxy = proxy
    self.admitAddress = admitAddress
  }
}

/// Bodies larger than `threshold` bytes are written to a `SpoolFile` in `directory` as they
/// arrive instead of being held in memory (docs/design.md#spooled-bodies).
public struct BodySpool: Sendable, Equatable {
  /// The spool folder, `<storage.dir>/tmp`.
  public var directory: String
  /// Bodies up to this size stay in memory.
  public var threshold: Int

  public init(directory: String, threshold: Int) {
    self.directory = directory
    self.threshold = threshold
  }
}

/// The proxy of a transfer.
public enum TransferProxy: Sendable, Equatable {
  /// Direct connections; the environment's proxy variables are ignored.
  case none
  /// libcurl's default: `http_proxy`, `https_proxy`, `all_proxy` and `no_proxy` decide.
  case environment
  /// This http(s) proxy for every request; `no_proxy` is ignored.
  case url(String)
}

/// Where the time of one transfer went, in milliseconds since the transfer started.
///
/// - SeeAlso: <https://curl.se/libcurl/c/curl_easy_getinfo.html> (TIMES)
public struct TransferTimings: Sendable, Equatable, Codable {
  /// Name resolution done.
  public var dnsMs: Double = 0
  /// TCP connect done.
  public var connectMs: Double = 0
  /// TLS handshake done (0 for http).
  public var tlsMs: Double = 0
  /// First response byte received.
  public var firstByteMs: Double = 0
  /// Transfer finished.
  public var totalMs: Double = 0
  public init() {}
}

/// What came back from one transfer: the exact bytes and the facts around them.
public struct TransferOutcome: Sendable {
  /// nil when an HTTP response arrived (possibly truncated at `maxBodyBytes`).
  public var error: CurlError?
  /// The HTTP status code, 0 when no response arrived.
  public var httpStatus: Int = 0
  /// The request header block exactly as sent (request line, headers, blank line).
  public var requestHeader: [UInt8] = []
  /// The final response's status line and headers exactly as received, blank line included.
  public var responseHeader: [UInt8] = []
  /// The body as received, content encoding untouched, chunked framing removed; empty when
  /// it went to `spool`.
  public var body: [UInt8] = []
  /// The body, when it outgrew `TransferSpec.spool`'s threshold (nil: it is in `body`).
  public var spool: SpoolFile?
  /// Why the body could not be spooled and stayed in memory (the folder is not writable).
  public var spoolProblem: IOError?
  /// The body's length, in memory or spooled.
  public var bodyLength: Int { spool?.size ?? body.count }
  /// Whether the body was cut at `maxBodyBytes`.
  public var truncated = false
  /// The address the connection went to, e.g. `127.0.0.1`.
  public var remoteIP: String?
  /// The port the connection went to.
  public var remotePort: Int = 0
  /// Time spent per phase.
  public var timings = TransferTimings()
  /// When the request head was sent, nil if it never was.
  public var requestSentAt: ContinuousClock.Instant?
  /// The addresses the guard refused (raw bytes, 4 or 16 each).
  public var refusedAddresses: [[UInt8]] = []

  public init(error: CurlError? = nil) { self.error = error }
}
