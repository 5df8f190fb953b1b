import Foundation
import Glibc
import SKSystem
import SKZlib
import Synchronization

/// A real loopback HTTP/1.1 server for tests, which misbehaves on cue.
///
/// It listens on one or more loopback addresses (Linux answers on all of 127.0.0.0/8, so
/// `["127.0.0.2", "127.0.0.3"]` gives distinct hosts for per-host limits), one thread per
/// connection, keep-alive supported, and keeps a request log (address, path, headers,
/// start and end) so politeness is measured from the server's own point of view.
///
/// Behaviour is chosen by the path (see `FixtureServer.Route` for the list), the way
/// corelibs' `HTTPServer.swift` and NIO's `NIOHTTP1TestServer` script their responses.
///
/// Sendable: all mutable state is one `Mutex`; the listening and connection threads touch
/// only their own file descriptors otherwise.
public final class FixtureServer: Sendable {
  /// One request as the server saw it.
  public struct LoggedRequest: Sendable {
    /// The listening address it arrived on, e.g. `127.0.0.2`.
    public var address: String
    /// The request target (path and query).
    public var target: String
    /// Header fields as received.
    public var headers: [(name: String, value: String)]
    /// When the request head was fully read.
    public var start: ContinuousClock.Instant
    /// When the response was fully written (nil if the server hung up on purpose).
    public var end: ContinuousClock.Instant?
    /// Which connection it came on (counts from 1 per server).
    public var connection: Int

    /// The first value of a header (case-insensitive).
    public func header(_ name: String) -> String? {
      headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
  }

  /// Listening addresses, in the order given.
  public let addresses: [String]
  /// The port of each address.
  public let ports: [Int]

  private struct State {
    var openConnections: Set<Int32> = []
    var log: [LoggedRequest] = []
    var accepted = 0
    var liveThreads = 0
    var stopped = false
    var counters: [String: Int] = [:]
    /// Fixed pages by exact request target (path + query), answered before the routes.
    var pages: [String: StaticPage] = [:]
  }
  private let state = Mutex(State())
  private let listeners: [Int32]

  /// Starts listening.
  /// - Parameter addresses: loopback IPv4 addresses to listen on, each on its own free port.
  /// - Throws: `POSIXError` when a socket cannot be bound.
  public init(addresses: [String] = ["127.0.0.1"]) throws {
    self.addresses = addresses
    var fds: [Int32] = []
    var ports: [Int] = []
    for address in addresses {
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
      var one: Int32 = 1
      setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
      var addr = sockaddr_in()
      addr.sin_family = sa_family_t(AF_INET)
      addr.sin_port = 0
      inet_pton(AF_INET, address, &addr.sin_addr)
      let bound = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
      }
      guard bound == 0, listen(fd, 4096) == 0 else {
        let e = errno
        close(fd)
        throw POSIXError(.init(rawValue: e) ?? .EIO)
      }
      var len = socklen_t(MemoryLayout<sockaddr_in>.size)
      _ = withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
      }
      fds.append(fd)
      ports.append(Int(UInt16(bigEndian: addr.sin_port)))
    }
    self.ports = ports
    self.listeners = fds
    for (i, fd) in fds.enumerated() {
      let address = addresses[i]
      spawn { [self] in self.acceptLoop(fd, address: address) }
    }
  }

  /// Tests call `stop()` (usually in a `defer`): the listening threads keep the server alive.
  deinit { stop() }

  /// `http://ADDRESS:PORT/path` for the listener at `host` (an index into `addresses`).
  public func url(_ path: String, host: Int = 0) -> String {
    "http://\(addresses[host]):\(ports[host])\(path.hasPrefix("/") ? path : "/" + path)"
  }

  /// A fixed response: what `serve(_:_:)` answers for one request target.
  public struct StaticPage: Sendable {
    public var status: Int
    public var headers: [String]
    public var body: [UInt8]
    public init(status: Int = 200, headers: [String] = ["Content-Type: text/html; charset=utf-8"], body: [UInt8]) {
      self.status = status
      self.headers = headers
      self.body = body
    }
  }

  /// Answers `target` (path + query, exactly as requested) with `page` from now on,
  /// replacing any earlier page: tests switch content between checks this way.
  public func serve(_ target: String, _ page: StaticPage) {
    state.withLock { $0.pages[target] = page }
  }

  /// Every request so far, in arrival order.
  public var requestLog: [LoggedRequest] { state.withLock { $0.log } }
  /// Connections accepted so far.
  public var connectionCount: Int { state.withLock { $0.accepted } }

  /// Stops listening, hangs up every connection and waits (up to 10 s) for its threads.
  public func stop() {
    let listeners = self.listeners
    let (ls, cs) = state.withLock { state -> ([Int32], Set<Int32>) in
      if state.stopped { return ([], []) }
      state.stopped = true
      return (listeners, state.openConnections)
    }
    for fd in ls {
      shutdown(fd, Int32(SHUT_RDWR))
      close(fd)
    }
    for fd in cs { shutdown(fd, Int32(SHUT_RDWR)) }
    let deadline = Date().addingTimeInterval(10)
    while state.withLock({ $0.liveThreads }) > 0 && Date() < deadline { usleep(2000) }
  }

  // MARK: threads

  private func spawn(_ body: @escaping @Sendable () -> Void) {
    state.withLock { $0.liveThreads += 1 }
    let t = Thread { [self] in
      body()
      self.state.withLock { $0.liveThreads -= 1 }
    }
    t.stackSize = 256 << 10
    t.start()
  }

  private func acceptLoop(_ listener: Int32, address: String) {
    while true {
      let fd = accept(listener, nil, nil)
      if fd < 0 {
        if errno == EINTR { continue }
        return
      }
      let id: Int? = state.withLock { state in
        if state.stopped { return nil }
        state.accepted += 1
        state.openConnections.insert(fd)
        return state.accepted
      }
      guard let id else {
        close(fd)
        return
      }
      spawn { [self] in self.serve(fd, address: address, connection: id) }
    }
  }

  private func serve(_ fd: Int32, address: String, connection: Int) {
    var tv = timeval(tv_sec: 15, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    var buffer: [UInt8] = []
    var closeWithReset = false
    defer {
      state.withLock { _ = $0.openConnections.remove(fd) }
      if closeWithReset {
        var l = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
      }
      close(fd)
    }
    while true {
      // Read one request head.
      var headEnd: Int?
      while headEnd == nil {
        if let r = find(buffer, [13, 10, 13, 10]) {
          headEnd = r
          break
        }
        var chunk = [UInt8](repeating: 0, count: 8192)
        let n = recv(fd, &chunk, chunk.count, 0)
        if n <= 0 { return }
        buffer += chunk[0..<n]
        // Not HTTP (a TLS ClientHello starts with 0x16): answer in plain HTTP and hang up,
        // as a misconfigured port would.
        if let first = buffer.first, !(65...90).contains(first) {
          _ = send(fd, Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
          return
        }
      }
      let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
      buffer.removeFirst(headEnd! + 4)
      let lines = head.components(separatedBy: "\r\n")
      let parts = lines[0].split(separator: " ")
      guard parts.count >= 2 else { return }
      var headers: [(name: String, value: String)] = []
      for line in lines.dropFirst() {
        guard let c = line.firstIndex(of: ":") else { continue }
        headers.append(
          (String(line[..<c]), String(line[line.index(after: c)...]).trimmingCharacters(in: .whitespaces)))
      }
      let entry = LoggedRequest(
        address: address, target: String(parts[1]), headers: headers, start: .now, end: nil, connection: connection)
      let index = state.withLock { state -> Int in
        state.log.append(entry)
        return state.log.count - 1
      }
      let keepOpen = respond(fd, entry, closeWithReset: &closeWithReset)
      if keepOpen || !closeWithReset {
        state.withLock { $0.log[index].end = .now }
      }
      if !keepOpen { return }
      if entry.header("Connection")?.lowercased() == "close" { return }
    }
  }

  private func find(_ haystack: [UInt8], _ needle: [UInt8]) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
      if Array(haystack[i..<(i + needle.count)]) == needle { return i }
    }
    return nil
  }

  private func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool { UnixSocket.writeAll(fd, bytes) }

  private func sleepMs(_ ms: Int) { usleep(UInt32(max(0, ms)) * 1000) }

  private var isStopped: Bool { state.withLock { $0.stopped } }

  // MARK: routes

  /// Sends the response for `request`; returns whether the connection stays open.
  private func respond(_ fd: Int32, _ request: LoggedRequest, closeWithReset: inout Bool) -> Bool {
    // An absolute-form target means a client uses this server as its HTTP proxy: serve the
    // path as if asked directly (lets tests check `fetch.proxy` without any other host).
    var target = request.target
    if target.hasPrefix("http://"), let slash = target.dropFirst(7).firstIndex(of: "/") {
      target = String(target[slash...])
    }
    let route = FixtureServer.Route(target: target)
    // Exact target first; then a page registered as `PREFIX*` (any target starting with PREFIX).
    let servedPage = state.withLock { state in
      state.pages[target]
        ?? state.pages.first { $0.key.hasSuffix("*") && target.hasPrefix($0.key.dropLast()) }?.value
    }
    if let page = servedPage {
      var head = "HTTP/1.1 \(page.status) \(FixtureServer.reasonPhrase(page.status))\r\n"
      for h in page.headers + ["Content-Length: \(page.body.count)"] { head += h + "\r\n" }
      return send(fd, Array((head + "\r\n").utf8) + page.body)
    }
    func reply(_ status: Int, _ headers: [String] = [], body: [UInt8] = Array(FixtureServer.okPage.utf8)) -> Bool {
      var head = "HTTP/1.1 \(status) \(FixtureServer.reasonPhrase(status))\r\n"
      var hs = headers
      if !hs.contains(where: { $0.lowercased().hasPrefix("content-type:") }) {
        hs.append("Content-Type: text/html; charset=utf-8")
      }
      hs.append("Content-Length: \(status == 304 ? 0 : body.count)")
      for h in hs { head += h + "\r\n" }
      head += "\r\n"
      return send(fd, Array(head.utf8) + (status == 304 ? [] : body))
    }
    let q = route.query
    switch route.segments.first ?? "" {
    case "ok", "":
      return reply(200)
    case "delay":
      sleepMs(Int(route.segments.dropFirst().first ?? "") ?? 100)
      return reply(200)
    case "status":
      let code = Int(route.segments.dropFirst().first ?? "") ?? 200
      var hs: [String] = []
      if let ra = q["retry-after"] { hs.append("Retry-After: \(ra)") }
      return reply(code, hs, body: Array("<html><title>status \(code)</title></html>".utf8))
    case "redirect":
      let n = Int(route.segments.dropFirst().first ?? "") ?? 0
      if n <= 0 { return reply(200) }
      return reply(302, ["Location: /redirect/\(n - 1)"], body: [])
    case "fat":
      // /fat/N/BYTES/KEY: N redirects, each with a BYTES body, then a 503 with one (a link
      // whose every hop and attempt is heavy; KEY keeps URLs of parallel links apart).
      let n = Int(route.segments.dropFirst().first ?? "") ?? 0
      let size = Int(route.segments.dropFirst(2).first ?? "") ?? (1 << 20)
      let key = route.segments.dropFirst(3).first ?? "0"
      let body = [UInt8](repeating: 0x66, count: size)
      if n <= 0 { return reply(503, ["Content-Type: text/plain"], body: body) }
      return reply(302, ["Location: /fat/\(n - 1)/\(size)/\(key)", "Content-Type: text/plain"], body: body)
    case "to":
      return reply(q["code"].flatMap(Int.init) ?? 302, ["Location: \(q["url"] ?? "/ok")"], body: [])
    case "loop":
      let other = route.segments.dropFirst().first == "a" ? "b" : "a"
      return reply(301, ["Location: \(other)"], body: [])
    case "etag":
      let etag = "\"v1\""
      let lastModified = "Wed, 21 Oct 2015 07:28:00 GMT"
      if request.header("If-None-Match") == etag || request.header("If-Modified-Since") == lastModified {
        return reply(304, ["ETag: \(etag)", "Last-Modified: \(lastModified)"], body: [])
      }
      return reply(200, ["ETag: \(etag)", "Last-Modified: \(lastModified)"])
    case "big":
      let n = Int(route.segments.dropFirst().first ?? "") ?? (1 << 20)
      return reply(200, ["Content-Type: application/octet-stream"], body: [UInt8](repeating: 0x78, count: n))
    case "gzip":
      let body = (try? GzipMember.compress(Array(FixtureServer.okPage.utf8))) ?? []
      return reply(200, ["Content-Encoding: gzip"], body: body)
    case "chunked":
      var out = Array("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
      for piece in ["<html><head><title>Chunked", "</title></head>", "<body>three chunks</body></html>"] {
        out += Array((String(piece.utf8.count, radix: 16) + "\r\n" + piece + "\r\n").utf8)
      }
      out += Array("0\r\n\r\n".utf8)
      return send(fd, out)
    case "drip":
      let n = Int(route.segments.dropFirst().first ?? "") ?? 60
      guard send(fd, Array("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: \(n)\r\n\r\n".utf8)) else {
        return false
      }
      for _ in 0..<n {
        if isStopped || !send(fd, [0x2e]) { return false }
        sleepMs(1000)
      }
      return true
    case "close":
      return false
    case "garbage":
      _ = send(fd, Array("SSH-2.0-OpenSSH_9.2 not http at all\r\n\r\n".utf8))
      return false
    case "reset":
      _ = send(fd, Array("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n".utf8))
      _ = send(fd, [UInt8](repeating: 0x61, count: 1000))
      sleepMs(50)
      closeWithReset = true
      return false
    case "flaky":
      // /flaky/KEY/N/CODE: the first N requests for KEY answer CODE, then 200.
      let key = route.segments.dropFirst().first ?? ""
      let n = Int(route.segments.dropFirst(2).first ?? "") ?? 1
      let code = Int(route.segments.dropFirst(3).first ?? "") ?? 503
      let seen = state.withLock { state -> Int in
        state.counters[key, default: 0] += 1
        return state.counters[key]!
      }
      if seen <= n {
        var hs: [String] = []
        if let ra = q["retry-after"] { hs.append("Retry-After: \(ra)") }
        return reply(code, hs, body: Array("<html><title>try later</title></html>".utf8))
      }
      return reply(200)
    case "article":
      // /article/DELAY/IMAGES/KEY: after DELAY ms, an article page with IMAGES images of
      // 20 KB on this host (`/img/KEY-n/20000`), for captures with requisites in flight.
      sleepMs(Int(route.segments.dropFirst().first ?? "") ?? 0)
      let count = Int(route.segments.dropFirst(2).first ?? "") ?? 0
      let key = route.segments.dropFirst(3).first ?? "0"
      let sentence = "An article body long enough to be read as the main text of the page, with images. "
      var html = "<html><head><title>Article \(key)</title></head><body><article><p>"
      html += String(repeating: sentence, count: 8) + "</p>"
      for n in 0..<count { html += "<p><img src=\"/img/\(key)-\(n)/20000\"></p>" }
      html += "<p>" + String(repeating: sentence, count: 4) + "</p></article></body></html>"
      return reply(200, body: Array(html.utf8))
    case "img":
      // /img/SEED/BYTES[?referer=S]: a PNG-signed image of BYTES bytes, the same for the
      // same SEED; with `referer`, a request whose Referer does not contain S gets a small
      // placeholder image instead (as WeChat's image host answers foreign pages).
      let seed = route.segments.dropFirst().first ?? "0"
      let size = Int(route.segments.dropFirst(2).first ?? "") ?? 1000
      if let needed = q["referer"], !(request.header("Referer") ?? "").contains(needed) {
        return reply(200, ["Content-Type: image/png"], body: FixtureServer.placeholderImage)
      }
      return reply(200, ["Content-Type: image/png"], body: FixtureServer.image(seed: seed, bytes: size))
    case "huge":
      // /huge/BYTES: an HTML article of exactly BYTES bytes, sent 64 KiB at a time (never whole
      // in this process), for bodies that must be spooled.
      let n = Int(route.segments.dropFirst().first ?? "") ?? (20 << 20)
      let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: \(n)\r\n\r\n"
      guard send(fd, Array(head.utf8)) else { return false }
      var ok = true
      FixtureServer.hugePage(bytes: n) { chunk in
        ok = ok && !isStopped && send(fd, chunk)
        return ok
      }
      return ok
    case "resetafter":
      // /resetafter/BYTES: a 200 promising twice BYTES, BYTES sent, then a reset (RST).
      let n = Int(route.segments.dropFirst().first ?? "") ?? (2 << 20)
      let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: \(2 * n)\r\n\r\n"
      _ = send(fd, Array(head.utf8) + [UInt8](repeating: 0x61, count: n))
      sleepMs(50)
      closeWithReset = true
      return false
    default:
      return reply(404, body: Array("<html><title>not found</title></html>".utf8))
    }
  }

  /// The body `/huge/BYTES` answers, handed to `emit` in chunks of 64 KiB (stop early by
  /// returning false): an article's head and first paragraph, then filler paragraphs, cut at
  /// exactly `bytes`.
  public static func hugePage(bytes: Int, _ emit: ([UInt8]) -> Bool) {
    let start = Array(
      "<html><head><title>Huge article</title></head><body><article><p>An article whose body is far larger than the spool threshold, spooled to a file on its way to the archive.</p>\n"
        .utf8)
    let line = Array("<p>0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ filler.</p>\n".utf8)
    var chunk: [UInt8] = []
    chunk.reserveCapacity(64 << 10)
    var sent = 0
    var first = true
    while sent < bytes {
      let piece = first ? start : line
      first = false
      let take = min(piece.count, bytes - sent - chunk.count)
      chunk += piece.prefix(take)
      if chunk.count >= 64 << 10 || sent + chunk.count == bytes {
        guard emit(chunk) else { return }
        sent += chunk.count
        chunk.removeAll(keepingCapacity: true)
      }
    }
  }

  /// What `/img/…?referer=` answers a foreign Referer.
  public static let placeholderImage: [UInt8] =
    [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array("placeholder".utf8)

  /// The body `/img/SEED/BYTES` answers: a PNG signature, then bytes that depend on SEED.
  public static func image(seed: String, bytes: Int) -> [UInt8] {
    var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    var x = UInt32(truncatingIfNeeded: seed.utf8.reduce(2_166_136_261) { ($0 ^ UInt32($1)) &* 16_777_619 })
    out.reserveCapacity(bytes)
    while out.count < bytes {
      x ^= x << 13
      x ^= x >> 17
      x ^= x << 5
      out.append(UInt8(truncatingIfNeeded: x))
    }
    return Array(out.prefix(max(bytes, 0)))
  }

  /// The page `/ok` answers with.
  public static let okPage =
    "<html><head><title>Fixture OK</title></head><body><p>hello from the fixture</p></body></html>"

  static func reasonPhrase(_ code: Int) -> String {
    switch code {
    case 200: return "OK"
    case 301: return "Moved Permanently"
    case 302: return "Found"
    case 304: return "Not Modified"
    case 401: return "Unauthorized"
    case 403: return "Forbidden"
    case 404: return "Not Found"
    case 410: return "Gone"
    case 429: return "Too Many Requests"
    case 451: return "Unavailable For Legal Reasons"
    case 500: return "Internal Server Error"
    case 503: return "Service Unavailable"
    default: return "Status"
    }
  }

  /// The scripted behaviours, chosen by path:
  /// `/ok` · `/delay/MS` · `/status/CODE?retry-after=V` · `/redirect/N` (N relative hops) ·
  /// `/to?url=U&code=C` (absolute redirect) · `/loop/a` ↔ `/loop/b` · `/etag` (304 on a
  /// matching validator) · `/big/BYTES` · `/gzip` · `/chunked` · `/drip/N` (one byte a
  /// second) · `/close` (accept, read, hang up) · `/reset` (RST mid-body) ·
  /// `/flaky/KEY/N/CODE?retry-after=V` (N failures, then 200) · `/garbage` (not HTTP) ·
  /// `/huge/BYTES` (an HTML article of BYTES, streamed) · `/resetafter/BYTES` (RST after BYTES).
  /// Absolute-form targets (`GET http://host/path`) are served by path: the fixture doubles as a proxy.
  struct Route {
    var segments: [String]
    var query: [String: String]
    init(target: String) {
      let pieces = target.split(separator: "?", maxSplits: 1)
      segments = (pieces.first ?? "").split(separator: "/").map(String.init)
      var q: [String: String] = [:]
      if pieces.count == 2 {
        for pair in pieces[1].split(separator: "&") {
          let kv = pair.split(separator: "=", maxSplits: 1)
          let value = kv.count == 2 ? String(kv[1]) : ""
          q[String(kv[0])] = value.removingPercentEncoding ?? value
        }
      }
      query = q
    }
  }
}
