import Glibc
import SystemPackage

/// The daemon's only contact with socket C APIs: Unix stream sockets for the control socket
/// and Unix datagrams for `sd_notify`.
///
/// Every `sockaddr_un` and raw buffer lives in this file (part of SKSystem, the POSIX boundary,
/// as the other wrapper targets are for libcurl and libxml2); callers get descriptors and
/// `[UInt8]`. Errors are `SocketError` (`IOError`: the call, the path, the errno).
public enum UnixSocket {
  /// Fills a `sockaddr_un` for `path` and calls `body` with it and its length. A path
  /// starting with `@` is a Linux abstract address (NUL first byte), as systemd documents for
  /// `$NOTIFY_SOCKET`.
  private static func withAddress<R>(
    _ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R
  ) throws(SocketError) -> R {
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    var bytes = Array(path.utf8)
    let abstract = bytes.first == UInt8(ascii: "@")
    if abstract { bytes[0] = 0 }
    let capacity = MemoryLayout.size(ofValue: address.sun_path)
    guard bytes.count < capacity else { throw SocketError(operation: "address", path: path, code: ENAMETOOLONG) }
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
      raw.copyBytes(from: bytes)
    }
    let length = MemoryLayout<sa_family_t>.size + bytes.count + (abstract ? 0 : 1)
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(length)) }
    }
  }

  /// Sends one datagram to the Unix socket at `path` (`sd_notify`'s transport).
  public static func sendDatagram(_ bytes: [UInt8], to path: String) throws(SocketError) {
    let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw SocketError(operation: "socket", path: path, code: errno) }
    defer { close(fd) }
    let sent = try withAddress(path) { address, length in
      bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), address, length) }
    }
    if sent < 0 { throw SocketError(operation: "sendto", path: path, code: errno) }
  }

  /// Binds a datagram socket at `path` (tests use it as a stand-in for systemd's notify socket).
  public static func bindDatagram(_ path: String) throws(SocketError) -> Int32 {
    let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw SocketError(operation: "socket", path: path, code: errno) }
    unlink(path)
    let result = try withAddress(path) { bind(fd, $0, $1) }
    if result != 0 {
      let code = errno
      close(fd)
      throw SocketError(operation: "bind", path: path, code: code)
    }
    return fd
  }

  /// Receives one datagram, waiting at most `timeout` seconds; nil on timeout.
  public static func receive(_ fd: Int32, timeout: Double) -> [UInt8]? {
    var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    guard poll(&poller, 1, Int32(timeout * 1000)) > 0 else { return nil }
    var buffer = [UInt8](repeating: 0, count: 4096)
    let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
    return n >= 0 ? Array(buffer[0..<n]) : nil
  }

  /// Creates a listening stream socket at `path`, mode 0600, replacing whatever file is there.
  ///
  /// The caller holds the store lock, so a socket file already at `path` belongs to a daemon
  /// that died without cleaning up: it is stale and removed. The umask is narrowed around
  /// `bind` so the socket is never visible with wider permissions, even for an instant.
  public static func listen(_ path: String) throws(SocketError) -> Int32 {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw SocketError(operation: "socket", path: path, code: errno) }
    unlink(path)
    let old = umask(0o177)
    let result = try withAddress(path) { bind(fd, $0, $1) }
    let code = errno
    umask(old)
    if result != 0 {
      close(fd)
      throw SocketError(operation: "bind", path: path, code: code)
    }
    chmod(path, 0o600)
    if Glibc.listen(fd, 16) != 0 {
      let code = errno
      close(fd)
      throw SocketError(operation: "listen", path: path, code: code)
    }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    return fd
  }

  /// Accepts one pending connection (nil when none is waiting). The new descriptor blocks,
  /// with receive and send timeouts of `timeout` seconds, so neither a silent client nor one
  /// that never reads can hold a thread for longer than that.
  public static func accept(_ listener: Int32, timeout: Int = 10) -> Int32? {
    let fd = Glibc.accept(listener, nil, nil)
    guard fd >= 0 else { return nil }
    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    // The listener is non-blocking; the accepted socket blocks, bounded by the timeouts.
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
    var limit = timeval(tv_sec: timeout, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    return fd
  }

  /// The user id of the process at the other end of a connected Unix socket (`SO_PEERCRED`),
  /// nil when the kernel does not say.
  public static func peerUserID(_ fd: Int32) -> UInt32? {
    // `struct ucred { pid_t pid; uid_t uid; gid_t gid; }` (Linux), which Glibc's Swift module
    // does not export (it sits behind _GNU_SOURCE): read as three 32-bit fields.
    var credentials: (pid: Int32, uid: UInt32, gid: UInt32) = (0, 0, 0)
    var length = socklen_t(MemoryLayout<(Int32, UInt32, UInt32)>.size)
    guard getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0, length == 12 else { return nil }
    return credentials.uid
  }

  /// Reads at most `limit` bytes with one `read(2)`: called when a Dispatch read source says
  /// data (or the end of stream) is waiting, so it does not block. Empty at end of stream.
  public static func readAvailable(_ fd: Int32, limit: Int = 16384) -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: limit)
    while true {
      let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      return n > 0 ? Array(buffer[0..<n]) : []
    }
  }

  /// Connects to the stream socket at `path`.
  /// - Throws: `SocketError` (`ENOENT` no socket, `ECONNREFUSED` nobody listening: stale).
  public static func connect(_ path: String) throws(SocketError) -> Int32 {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw SocketError(operation: "socket", path: path, code: errno) }
    let result = try withAddress(path) { Glibc.connect(fd, $0, $1) }
    if result != 0 {
      let code = errno
      close(fd)
      throw SocketError(operation: "connect", path: path, code: code)
    }
    return fd
  }

  /// Writes all of `bytes`; false when the peer went away (no SIGPIPE).
  @discardableResult
  public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { return false }
      offset += n
    }
    return true
  }

  /// Reads what is available (blocking until something is); empty at end of stream or error.
  public static func readSome(_ fd: Int32) -> [UInt8] {
    var buffer = [UInt8](repeating: 0, count: 16384)
    while true {
      let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      return n > 0 ? Array(buffer[0..<n]) : []
    }
  }

  /// Closes a descriptor.
  public static func close(_ fd: Int32) { try? FileDescriptor(rawValue: fd).close() }

  /// Removes the socket file at `path` (nothing when there is none).
  public static func removeFile(_ path: String) { _ = unlink(path) }
}

/// Splits a stream into `\n`-terminated lines (the control protocol's framing).
public struct LineReader {
  private let fd: Int32
  private var pending: [UInt8] = []
  private var finished = false
  public init(fd: Int32) { self.fd = fd }

  /// The next line without its newline; nil at end of stream (a partial last line is dropped).
  public mutating func next() -> String? {
    while true {
      if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
        let line = String(decoding: pending[..<newline], as: UTF8.self)
        pending.removeSubrange(...newline)
        return line
      }
      if finished { return nil }
      let chunk = UnixSocket.readSome(fd)
      if chunk.isEmpty { finished = true } else { pending += chunk }
      if pending.count > 1 << 20 { return nil }
    }
  }
}
