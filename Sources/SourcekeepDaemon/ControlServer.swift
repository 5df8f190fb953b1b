import Dispatch
import Foundation
import SKSystem
import SourcekeepApp
import Synchronization

/// One client of the control socket: sends response lines in order, without blocking the
/// caller (a slow terminal must never stall the engine's progress callbacks).
final class ControlConnection: Sendable {
  private let fd: Int32
  /// Serialises the writes, so messages go out in the order they were queued.
  private let writer = DispatchQueue(label: "sourcekeep.control.connection")
  private let closed = Mutex(false)

  init(fd: Int32) { self.fd = fd }

  /// Queues one message.
  func send(_ message: ControlMessage) {
    writer.async {
      guard !self.isClosed else { return }
      if !UnixSocket.writeAll(self.fd, message.encoded) { self.closeNow() }
    }
  }

  /// Queues the last message, then closes the connection.
  func finish(_ message: ControlMessage) {
    writer.async {
      guard !self.isClosed else { return }
      UnixSocket.writeAll(self.fd, message.encoded)
      self.closeNow()
    }
  }

  /// Waits (up to `timeout`) until every message queued so far is written: the daemon calls
  /// it before exiting, or a result queued just before the exit would never reach the client.
  func flush(timeout: DispatchTimeInterval = .seconds(2)) {
    let written = DispatchSemaphore(value: 0)
    writer.async { written.signal() }
    _ = written.wait(timeout: .now() + timeout)
  }

  private var isClosed: Bool { closed.withLock { $0 } }

  private func closeNow() {
    closed.withLock { $0 = true }
    UnixSocket.close(fd)
  }
}

/// The listening side of `<storage.dir>/control.sock`: accepts on the daemon's queue, reads
/// each client's single request line on a Dispatch worker (blocking, with a receive timeout),
/// and hands decoded requests to the daemon.
///
/// Not Sendable: the `Daemon` actor owns it and starts and stops it from its isolation; the
/// accept handler captures only Sendable values, never the server.
final class ControlServer {
  let path: String
  private let listener: Int32
  private let queue: DispatchQueue
  private var source: (any DispatchSourceRead)?
  private let handle: @Sendable (ControlRequest, ControlConnection) -> Void

  /// Binds the socket (mode 0600), replacing a stale one; `handle` is called on `queue`.
  init(path: String, queue: DispatchQueue, handle: @escaping @Sendable (ControlRequest, ControlConnection) -> Void) throws(SocketError) {
    self.path = path
    self.queue = queue
    self.handle = handle
    listener = try UnixSocket.listen(path)
  }

  func start() {
    let source = DispatchSource.makeReadSource(fileDescriptor: listener, queue: queue)
    let (listener, queue, handle) = (self.listener, self.queue, self.handle)
    source.setEventHandler { Self.acceptAll(listener, queue, handle) }
    source.setCancelHandler { UnixSocket.close(listener) }
    source.resume()
    self.source = source
  }

  /// Stops accepting and removes the socket file; connections already open finish normally.
  func stop() {
    guard let source else { return }
    self.source = nil
    source.cancel()
    UnixSocket.removeFile(path)
  }

  private static func acceptAll(
    _ listener: Int32, _ queue: DispatchQueue, _ handle: @escaping @Sendable (ControlRequest, ControlConnection) -> Void
  ) {
    while let fd = UnixSocket.accept(listener) {
      DispatchQueue.global().async {
        var reader = LineReader(fd: fd)
        let connection = ControlConnection(fd: fd)
        guard let line = reader.next(), let request = ControlCoding.decode(ControlRequest.self, line) else {
          var error = ControlMessage(type: .error)
          error.message = "not a sourcekeep control request (one JSON line with \"v\" and \"command\" expected)"
          error.exit = ExitStatus.usage.rawValue
          connection.finish(error)
          return
        }
        guard request.v == ControlProtocol.version else {
          var error = ControlMessage(type: .error)
          error.message =
            "control protocol version \(request.v) is not spoken here (the daemon speaks \(ControlProtocol.version)); use the sourcekeep binary the daemon runs"
          error.exit = ExitStatus.failure.rawValue
          connection.finish(error)
          return
        }
        queue.async { handle(request, connection) }
      }
    }
  }
}
