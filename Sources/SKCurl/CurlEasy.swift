internal import CCurlShim
internal import Clibcurl
import Foundation
import SKSystem

/// Owns one `CURL *` easy handle, its header list and error buffer, and the state its
/// callbacks fill in.
///
/// Lives on the engine thread only (`CurlEngine`'s thread `sourcekeep.curl`), hence not
/// Sendable. Callbacks are trampolines: the C function recovers this object from the
/// userdata pointer and calls a method; the closure itself holds no logic.
final class CurlEasy {
  let raw: UnsafeMutableRawPointer
  let spec: TransferSpec
  let continuation: CheckedContinuation<TransferOutcome, Never>
  private var headerList: UnsafeMutablePointer<curl_slist>?
  private let errorBuffer: UnsafeMutablePointer<CChar>
  private var outcome = TransferOutcome()
  private var guardRefused = false
  /// Writing the spool file failed: the transfer was stopped and fails with this.
  private var spoolWriteError: IOError?

  /// What the body callback tells libcurl.
  enum WriteDecision {
    case proceed(Int)
    case abort
  }

  init(spec: TransferSpec, share: UnsafeMutableRawPointer, continuation: CheckedContinuation<TransferOutcome, Never>)
    throws(CurlError)
  {
    guard let raw = curl_easy_init() else {
      throw CurlError(code: .setup, message: "curl_easy_init failed", url: spec.url)
    }
    self.raw = raw
    self.spec = spec
    self.continuation = continuation
    errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
    errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    try configure(share: share)
  }

  deinit {
    curl_easy_cleanup(raw)
    if let headerList { curl_slist_free_all(headerList) }
    errorBuffer.deallocate()
  }

  private func check(_ code: CURLcode, _ what: String) throws(CurlError) {
    guard code == CURLE_OK else {
      throw CurlError(
        code: .setup, curlCode: Int32(code.rawValue), message: "\(what): \(String(cString: curl_easy_strerror(code)))",
        url: spec.url)
    }
  }

  /// Sets every option of one exact, policy-checked HTTP/1.1 GET.
  /// - SeeAlso: <https://curl.se/libcurl/c/curl_easy_setopt.html>
  private func configure(share: UnsafeMutableRawPointer) throws(CurlError) {
    let me = Unmanaged.passUnretained(self).toOpaque()
    try check(sk_curl_easy_setopt_ptr(raw, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
    try check(sk_curl_easy_setopt_ptr(raw, CURLOPT_URL, spec.url), "CURLOPT_URL")
    try check(sk_curl_easy_setopt_ptr(raw, CURLOPT_SHARE, share), "CURLOPT_SHARE")
    // Only http and https, also for anything libcurl might follow (it follows nothing here).
    try check(sk_curl_easy_setopt_ptr(raw, CURLOPT_PROTOCOLS_STR, "http,https"), "CURLOPT_PROTOCOLS_STR")
    try check(sk_curl_easy_setopt_ptr(raw, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"), "CURLOPT_REDIR_PROTOCOLS_STR")
    try check(sk_curl_easy_setopt_long(raw, CURLOPT_FOLLOWLOCATION, 0), "CURLOPT_FOLLOWLOCATION")
    // HTTP/1.1 forced: the WARC response record is the HTTP/1.1 message as received.
    try check(sk_curl_easy_setopt_long(raw, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1)), "CURLOPT_HTTP_VERSION")
    // No automatic decoding: the body is archived as received; the fetcher decodes for parsing.
    try check(sk_curl_easy_setopt_long(raw, CURLOPT_HTTP_CONTENT_DECODING, 0), "CURLOPT_HTTP_CONTENT_DECODING")
    try check(sk_curl_easy_setopt_long(raw, CURLOPT_NOSIGNAL, 1), "CURLOPT_NOSIGNAL")
    let userAgent = String(String.UnicodeScalarView(spec.userAgent.unicodeScalars.filter { $0.value >= 0x20 }))
    try check(sk_curl_easy_setopt_ptr(raw, CURLOPT_USERAGENT, userAgent), "CURLOPT_USERAGENT")
    try check(
      sk_curl_easy_setopt_long(raw, CURLOPT_CONNECTTIMEOUT_MS, spec.connectTimeoutMs), "CURLOPT_CONNECTTIMEOUT_MS")
    try check(sk_curl_easy_setopt_long(raw, CURLOPT_TIMEOUT_MS, spec.timeoutMs), "CURLOPT_TIMEOUT_MS")
    if spec.lowSpeedLimit > 0, spec.lowSpeedTimeS > 0 {
      try check(sk_curl_easy_setopt_long(raw, CURLOPT_LOW_SPEED_LIMIT, spec.lowSpeedLimit), "CURLOPT_LOW_SPEED_LIMIT")
      try check(sk_curl_easy_setopt_long(raw, CURLOPT_LOW_SPEED_TIME, spec.lowSpeedTimeS), "CURLOPT_LOW_SPEED_TIME")
    }
    // libcurl reads the proxy variables unless told otherwise: "" for no proxy at all.
    switch spec.proxy {
    case .none:
      try check(sk_curl_easy_setopt_ptr(raw, CURLOPT_PROXY, ""), "CURLOPT_PROXY")
      try check(sk_curl_easy_setopt_ptr(raw, CURLOPT_NOPROXY, "*"), "CURLOPT_NOPROXY")
    case .environment:
      break
    case .url(let proxy):
      try check(sk_curl_easy_setopt_ptr(raw, CURLOPT_PROXY, proxy), "CURLOPT_PROXY")
      try check(sk_curl_easy_setopt_ptr(raw, CURLOPT_NOPROXY, ""), "CURLOPT_NOPROXY")
    }
    // A CR, LF or NUL inside a line would end it early and start another header: never sent.
    for line in spec.headers where !line.utf8.contains(where: { $0 == 13 || $0 == 10 || $0 == 0 }) {
      headerList = curl_slist_append(headerList, line)
    }
    if let headerList {
      try check(sk_curl_easy_setopt_ptr(raw, CURLOPT_HTTPHEADER, headerList), "CURLOPT_HTTPHEADER")
    }

    try check(sk_curl_easy_setopt_ptr(raw, CURLOPT_PRIVATE, me), "CURLOPT_PRIVATE")
    try check(sk_curl_easy_setopt_ptr(raw, CURLOPT_WRITEDATA, me), "CURLOPT_WRITEDATA")
    try check(
      sk_curl_easy_setopt_write_fn(raw, CURLOPT_WRITEFUNCTION) { data, size, count, user in
        guard let data, let user else { return 0 }
        let easy = Unmanaged<CurlEasy>.fromOpaque(user).takeUnretainedValue()
        switch easy.onBody(UnsafeRawBufferPointer(start: data, count: size * count)) {
        case .proceed(let n): return n
        case .abort: return 0
        }
      }, "CURLOPT_WRITEFUNCTION")
    try check(sk_curl_easy_setopt_ptr(raw, CURLOPT_HEADERDATA, me), "CURLOPT_HEADERDATA")
    try check(
      sk_curl_easy_setopt_write_fn(raw, CURLOPT_HEADERFUNCTION) { data, size, count, user in
        guard let data, let user else { return 0 }
        let easy = Unmanaged<CurlEasy>.fromOpaque(user).takeUnretainedValue()
        easy.onHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
        return size * count
      }, "CURLOPT_HEADERFUNCTION")
    // The request header bytes as sent come only through the debug callback.
    try check(sk_curl_easy_setopt_long(raw, CURLOPT_VERBOSE, 1), "CURLOPT_VERBOSE")
    try check(sk_curl_easy_setopt_ptr(raw, CURLOPT_DEBUGDATA, me), "CURLOPT_DEBUGDATA")
    try check(
      sk_curl_easy_setopt_debug_fn(raw) { _, type, data, size, user in
        guard type == CURLINFO_HEADER_OUT, let data, let user else { return 0 }
        let easy = Unmanaged<CurlEasy>.fromOpaque(user).takeUnretainedValue()
        easy.onRequestHeader(UnsafeRawBufferPointer(start: data, count: size))
        return 0
      }, "CURLOPT_DEBUGFUNCTION")
    try check(sk_curl_easy_setopt_ptr(raw, CURLOPT_OPENSOCKETDATA, me), "CURLOPT_OPENSOCKETDATA")
    try check(
      sk_curl_easy_setopt_opensocket_fn(raw) { user, _, address in
        guard let user, let address else { return sk_curl_socket_bad() }
        let easy = Unmanaged<CurlEasy>.fromOpaque(user).takeUnretainedValue()
        return easy.onOpenSocket(address)
      }, "CURLOPT_OPENSOCKETFUNCTION")
  }

  // MARK: callbacks (engine thread)

  private func onBody(_ bytes: UnsafeRawBufferPointer) -> WriteDecision {
    if let file = outcome.spool { return spool(bytes, into: file) }
    if outcome.body.isEmpty {
      // Size the buffer once from Content-Length instead of doubling through it (up to the
      // spool threshold: a larger body goes to a file).
      var length: curl_off_t = -1
      if sk_curl_easy_getinfo_off_t(raw, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length) == CURLE_OK, length > 0 {
        outcome.body.reserveCapacity(min(Int(length), spec.maxBodyBytes, spec.spool?.threshold ?? .max))
      }
    }
    if let spool = spec.spool, outcome.spoolProblem == nil, outcome.body.count + bytes.count > spool.threshold,
      spec.maxBodyBytes > spool.threshold
    {
      do {
        let file = try SpoolFile.create(in: spool.directory)
        try file.append(outcome.body)
        outcome.body = []
        outcome.spool = file
        return self.spool(bytes, into: file)
      } catch {
        // No spool (folder not writable): the body stays in memory, capped as before.
        outcome.spoolProblem = error
      }
    }
    let room = spec.maxBodyBytes - outcome.body.count
    if bytes.count <= room {
      outcome.body.append(contentsOf: bytes)
      return .proceed(bytes.count)
    }
    outcome.body.append(contentsOf: bytes.prefix(max(0, room)))
    outcome.truncated = true
    return .abort
  }

  /// Appends to the spool file, cut at `maxBodyBytes` like the in-memory body.
  private func spool(_ bytes: UnsafeRawBufferPointer, into file: SpoolFile) -> WriteDecision {
    let room = max(0, spec.maxBodyBytes - file.size)
    let take = min(bytes.count, room)
    do {
      try file.append(UnsafeRawBufferPointer(rebasing: bytes[0..<take]))
    } catch {
      spoolWriteError = error
      return .abort
    }
    if take < bytes.count {
      outcome.truncated = true
      return .abort
    }
    return .proceed(bytes.count)
  }

  private func onHeaderLine(_ bytes: UnsafeRawBufferPointer) {
    // A new status line starts a new header block (1xx interim, proxy CONNECT): keep the last.
    if bytes.starts(with: Array("HTTP/".utf8)) { outcome.responseHeader.removeAll(keepingCapacity: true) }
    outcome.responseHeader.append(contentsOf: bytes)
  }

  private func onRequestHeader(_ bytes: UnsafeRawBufferPointer) {
    if outcome.requestHeader.suffix(4).elementsEqual([13, 10, 13, 10]) {
      outcome.requestHeader.removeAll(keepingCapacity: true)
    }
    outcome.requestHeader.append(contentsOf: bytes)
    if outcome.requestSentAt == nil, outcome.requestHeader.suffix(4).elementsEqual([13, 10, 13, 10]) {
      let now = ContinuousClock.now
      outcome.requestSentAt = now
      spec.onRequestSent?(now)
    }
  }

  private func onOpenSocket(_ address: UnsafeMutablePointer<curl_sockaddr>) -> curl_socket_t {
    var ip = [UInt8](repeating: 0, count: 16)
    let n = Int(sk_curl_sockaddr_ip(address, &ip))
    guard n == 4 || n == 16 else { return sk_curl_socket_bad() }
    let bytes = Array(ip.prefix(n))
    guard spec.admitAddress(bytes) else {
      guardRefused = true
      outcome.refusedAddresses.append(bytes)
      return sk_curl_socket_bad()
    }
    return sk_curl_sockaddr_open(address)
  }

  // MARK: completion

  /// Builds the outcome once libcurl reports the transfer done.
  func finish(result: CURLcode) -> TransferOutcome {
    var out = outcome
    var status = 0
    _ = sk_curl_easy_getinfo_long(raw, CURLINFO_RESPONSE_CODE, &status)
    out.httpStatus = status
    var ip: UnsafePointer<CChar>? = nil
    if sk_curl_easy_getinfo_string(raw, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK, let ip, ip.pointee != 0 {
      out.remoteIP = String(cString: ip)
    }
    var port = 0
    _ = sk_curl_easy_getinfo_long(raw, CURLINFO_PRIMARY_PORT, &port)
    out.remotePort = port
    func micros(_ info: CURLINFO) -> Double {
      var v: curl_off_t = 0
      _ = sk_curl_easy_getinfo_off_t(raw, info, &v)
      return Double(v) / 1000
    }
    out.timings.dnsMs = micros(CURLINFO_NAMELOOKUP_TIME_T)
    out.timings.connectMs = micros(CURLINFO_CONNECT_TIME_T)
    out.timings.tlsMs = micros(CURLINFO_APPCONNECT_TIME_T)
    out.timings.firstByteMs = micros(CURLINFO_STARTTRANSFER_TIME_T)
    out.timings.totalMs = micros(CURLINFO_TOTAL_TIME_T)
    if result == CURLE_OK || (result == CURLE_WRITE_ERROR && out.truncated) {
      return out
    }
    var osErrno = 0
    _ = sk_curl_easy_getinfo_long(raw, CURLINFO_OS_ERRNO, &osErrno)
    // A failed transfer's body is never archived: its spool file goes now.
    out.spool?.remove()
    out.spool = nil
    var message = String(cString: errorBuffer)
    if message.isEmpty { message = String(cString: curl_easy_strerror(result)) }
    if let spoolWriteError {
      message = "cannot spool the body: \(spoolWriteError); free space under storage.dir or lower fetch.max_body_mb"
    }
    out.error = CurlError(
      code: CurlError.classify(curlCode: result, osErrno: Int32(osErrno), guardRefused: guardRefused),
      curlCode: Int32(result.rawValue), osErrno: Int32(osErrno), message: message, url: spec.url)
    return out
  }
}

@available(*, unavailable)
extension CurlEasy: Sendable {}
