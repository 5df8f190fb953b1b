import Foundation
import Glibc
import SKSystem
import Synchronization

/// A real loopback HTTP forward proxy for tests: it takes absolute-form requests
/// (`GET http://host:port/path HTTP/1.1`), resolves the host with the system resolver,
/// connects there, forwards the request in origin form and relays the answer, one request
/// per connection. It keeps the targets it was asked for, so a test sees what a client
/// sent through it and whether it reached the origin.
public final class ForwardingProxy: Sendable {
  /// The listening address and port.
  public let address: String
  public let port: Int
  private let listener: Int32
  private let state = Mutex(State())

  private struct State {
    var targets: [String] = []
    var liveThreads = 0
    var stopped = false
    var connections: Set<Int32> = []
  }

  /// Starts listening on `address` (a loopback IPv4 address), on a free port.
  public init(address: String = "127.0.0.1") throws {
    self.address = address
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    var one: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    inet_pton(AF_INET, address, &addr.sin_addr)
    let size = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, size) }
    }
    guard bound == 0, listen(fd, 128) == 0 else {
      let e = errno
      close(fd)
      throw POSIXError(.init(rawValue: e) ?? .EIO)
    }
    var len = size
    _ = withUnsafeMutablePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
    }
    listener = fd
    port = Int(UInt16(bigEndian: addr.sin_port))
    spawn { [self] in acceptLoop() }
  }

  deinit { stop() }

  /// `http://ADDRESS:PORT`, for `fetch.proxy` or `http_proxy`.
  public var url: String { "http://\(address):\(port)" }

  /// Every absolute-form target asked for so far, in arrival order.
  public var targets: [String] { state.withLock { $0.targets } }

  /// Stops listening, hangs up and waits (up to 10 s) for the connection threads.
  public func stop() {
    let conns: Set<Int32>? = state.withLock { s in
      if s.stopped { return nil }
      s.stopped = true
      return s.connections
    }
    guard let conns else { return }
    shutdown(listener, Int32(SHUT_RDWR))
    close(listener)
    for fd in conns { shutdown(fd, Int32(SHUT_RDWR)) }
    let deadline = Date().addingTimeInterval(10)
    while state.withLock({ $0.liveThreads }) > 0 && Date() < deadline { usleep(2000) }
  }

  private func spawn(_ body: @escaping @Sendable () -> Void) {
    state.withLock { $0.liveThreads += 1 }
    let t = Thread { [self] in
      body()
      state.withLock { $0.liveThreads -= 1 }
    }
    t.stackSize = 256 << 10
    t.start()
  }

  private func acceptLoop() {
    while true {
      let fd = accept(listener, nil, nil)
      if fd < 0 {
        if errno == EINTR { continue }
        return
      }
      let open = state.withLock { s -> Bool in
        if s.stopped { return false }
        s.connections.insert(fd)
        return true
      }
      guard open else {
        close(fd)
        return
      }
      spawn { [self] in
        relay(fd)
        state.withLock { _ = $0.connections.remove(fd) }
        close(fd)
      }
    }
  }

  private func relay(_ client: Int32) {
    var tv = timeval(tv_sec: 15, tv_usec: 0)
    setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    var buffer: [UInt8] = []
    var headEnd: Int?
    while headEnd == nil {
      var chunk = [UInt8](repeating: 0, count: 8192)
      let n = recv(client, &chunk, chunk.count, 0)
      if n <= 0 { return }
      buffer += chunk[0..<n]
      headEnd = ForwardingProxy.find(buffer, [13, 10, 13, 10])
    }
    let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
    var lines = head.components(separatedBy: "\r\n")
    let parts = lines[0].split(separator: " ")
    guard parts.count == 3 else { return }
    let target = String(parts[1])
    state.withLock { $0.targets.append(target) }
    guard let url = URLComponents(string: target), let host = url.host, url.scheme == "http" else {
      _ = send(client, Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
      return
    }
    guard let upstream = connectTo(host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port: url.port ?? 80)
    else {
      _ = send(client, Array("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
      return
    }
    defer { close(upstream) }
    let path = url.percentEncodedPath.isEmpty ? "/" : url.percentEncodedPath
    lines[0] = "\(parts[0]) \(path)\(url.percentEncodedQuery.map { "?" + $0 } ?? "") \(parts[2])"
    lines = lines.filter { line in
      !["proxy-connection:", "connection:"].contains { line.lowercased().hasPrefix($0) }
    }
    lines.append("Connection: close")
    guard send(upstream, Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)) else { return }
    // The answer, with the connection to the client closed after it.
    var response: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = recv(upstream, &chunk, chunk.count, 0)
      if n <= 0 { break }
      response += chunk[0..<n]
    }
    if let end = ForwardingProxy.find(response, [13, 10]) {
      response.insert(contentsOf: Array("\r\nConnection: close".utf8), at: end)
    }
    _ = send(client, response)
  }

  private func connectTo(_ host: String, port: Int) -> Int32? {
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(host, String(port), &hints, &list) == 0 else { return nil }
    defer { freeaddrinfo(list) }
    var node = list
    while let info = node {
      let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
      if fd >= 0 {
        if connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return fd }
        close(fd)
      }
      node = info.pointee.ai_next
    }
    return nil
  }

  private func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool { UnixSocket.writeAll(fd, bytes) }

  private static func find(_ haystack: [UInt8], _ needle: [UInt8]) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    for i in 0...(haystack.count - needle.count) where haystack[i..<(i + needle.count)].elementsEqual(needle) {
      return i
    }
    return nil
  }
}
