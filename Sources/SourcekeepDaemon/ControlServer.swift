import Dispatch
import Foundation
import SKSystem

/// One client of the control socket: sends response lines in order, without blocking the
/// caller (a slow terminal must never stall the engine's progress callbacks).
final class ControlConnection: @unchecked Sendable {
  // `closed` is touched only on `writer`, which also serialises the writes.
  private let fd: Int32
  private let writer = DispatchQueue(label: "sourcekeep.control.connection")
  private var closed = false

  init(fd: Int32) { self.fd = fd }

  /// Queues one message.
  func send(_ message: ControlMessage) {
    writer.async {
      guard !self.closed else { return }
      if !UnixSocket.writeAll(self.fd, message.encoded) { self.closeNow() }
    }
  }

  /// Queues the last message, then closes the connection.
  func finish(_ message: ControlMessage) {
    writer.async {
      guard !self.closed else { return }
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

  private func closeNow() {
    closed = true
    UnixSocket.close(fd)
  }
}

/// The listening side of `<storage.dir>/control.sock`: accepts on the daemon's queue, reads
/// each client's single request line on a Dispatch worker (blocking, with a receive timeout),
/// and hands decoded requests to the daemon.
final class ControlServer: @unchecked Sendable {
  // `source` is touched only on `queue`.
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
    queue.async {
      let source = DispatchSource.makeReadSource(fileDescriptor: self.listener, queue: self.queue)
      source.setEventHandler { [weak self] in self?.acceptAll() }
      let listener = self.listener
      source.setCancelHandler { UnixSocket.close(listener) }
      source.resume()
      self.source = source
    }
  }

  /// Stops accepting and removes the socket file; connections already open finish normally.
  func stop() {
    dispatchPrecondition(condition: .onQueue(queue))
    guard let source else { return }
    self.source = nil
    source.cancel()
    UnixSocket.removeFile(path)
  }

  private func acceptAll() {
    while let fd = UnixSocket.accept(listener) {
      let handle = self.handle
      let queue = self.queue
      DispatchQueue.global().async {
        var reader = LineReader(fd: fd)
        let connection = ControlConnection(fd: fd)
        guard let line = reader.next(), let request = ControlCoding.decode(ControlRequest.self, line) else {
          var error = ControlMessage(type: .error)
          error.message = "not a sourcekeep control request (one JSON line with \"v\" and \"command\" expected)"
          error.exit = 64
          connection.finish(error)
          return
        }
        guard request.v == ControlProtocol.version else {
          var error = ControlMessage(type: .error)
          error.message =
            "control protocol version \(request.v) is not spoken here (the daemon speaks \(ControlProtocol.version)); use the sourcekeep binary the daemon runs"
          error.exit = 1
          connection.finish(error)
          return
        }
        queue.async { handle(request, connection) }
      }
    }
  }
}
