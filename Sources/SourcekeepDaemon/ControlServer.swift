import Dispatch
import Foundation
import SKSystem
import SourcekeepApp
import Synchronization

/// One client of the control socket: sends response lines in order, without blocking the
/// caller (a slow terminal must never stall the engine's progress callbacks).
final class ControlConnection: Sendable {
  private let fd: Int32
  /// Serialises the writes, so messages go out in the order they were queued. Writes block at
  /// most the socket's send timeout (`UnixSocket.accept`): a client that never reads is dropped.
  private let writer = DispatchQueue(label: "sourcekeep.control.connection")
  private let closed = Mutex(false)
  private let onClose: @Sendable () -> Void

  init(fd: Int32, onClose: @escaping @Sendable () -> Void = {}) {
    self.fd = fd
    self.onClose = onClose
  }

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

  /// Closes without a reply (a client that sent nothing in time).
  func drop() {
    writer.async { self.closeNow() }
  }

  private func closeNow() {
    let wasOpen = closed.withLock { wasClosed in
      defer { wasClosed = true }
      return !wasClosed
    }
    guard wasOpen else { return }
    UnixSocket.close(fd)
    onClose()
  }
}

/// Who may hold a control connection, and how many may be open at once: a cap, so idle or
/// hostile clients cannot pile up, and the peer's uid (`SO_PEERCRED`): root or the daemon's
/// own user only, whatever the socket file's mode says.
final class ControlGate: Sendable {
  /// Connections open at once; one more is refused with a message.
  static let maxConnections = 64
  private let open = Atomic(0)
  private let owner: UInt32

  init(owner: UInt32) { self.owner = owner }

  /// Takes a connection slot; false when all are taken.
  func admit() -> Bool {
    if open.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue <= Self.maxConnections { return true }
    release()
    return false
  }

  func release() { open.wrappingSubtract(1, ordering: .acquiringAndReleasing) }

  func allows(uid: UInt32) -> Bool { uid == 0 || uid == owner }
}

/// One client's request line, gathered by a Dispatch read source (no thread waits on a silent
/// client); touched only on `ControlServer.io`.
private final class RequestLine {
  enum Outcome {
    case line(String)
    case malformed
    case silent
  }
  var pending: [UInt8] = []
  var outcome: Outcome?

  func settle(_ outcome: Outcome) {
    if self.outcome == nil { self.outcome = outcome }
  }
}

/// The listening side of `<storage.dir>/control.sock`: accepts on the daemon's queue, checks
/// the peer and the connection cap (`ControlGate`), gathers each client's single request line
/// with a read source on one serial queue (a client silent for `requestDeadline` seconds is
/// dropped; no thread ever waits on one), and hands decoded requests to the daemon.
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
  init(path: String, queue: DispatchQueue, handle: @escaping @Sendable (ControlRequest, ControlConnection) -> Void)
    throws(SocketError)
  {
    self.path = path
    self.queue = queue
    self.handle = handle
    listener = try UnixSocket.listen(path)
  }

  func start() {
    let source = DispatchSource.makeReadSource(fileDescriptor: listener, queue: queue)
    let (listener, queue, handle) = (self.listener, self.queue, self.handle)
    let gate = ControlGate(owner: ProcessIdentity.effectiveUserID)
    source.setEventHandler { Self.acceptAll(listener, queue, gate, handle) }
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

  /// Where request lines are read: one serial queue for every connection, never blocked (each
  /// read is of bytes a read source says are there), so idle clients cost no thread.
  private static let io = DispatchQueue(label: "sourcekeep.control.io")
  /// Seconds a client has to send its request line.
  static let requestDeadline = 10
  /// The longest request line accepted.
  static let maxRequestBytes = 1 << 20

  private static func acceptAll(
    _ listener: Int32, _ queue: DispatchQueue, _ gate: ControlGate,
    _ handle: @escaping @Sendable (ControlRequest, ControlConnection) -> Void
  ) {
    while let fd = UnixSocket.accept(listener, timeout: requestDeadline) {
      guard gate.admit() else {
        refuse(
          ControlConnection(fd: fd),
          "too many control connections are open (\(ControlGate.maxConnections)); try again in a moment",
          exit: .busy)
        continue
      }
      let connection = ControlConnection(fd: fd, onClose: { gate.release() })
      // A foreign peer is answered after its request line (a reply before it could be lost
      // to the client's own write failing on a closed socket), and its request is never run.
      let foreign = UnixSocket.peerUserID(fd).map { !gate.allows(uid: $0) } ?? true
      readRequest(fd, connection, queue, foreign ? nil : handle)
    }
  }

  private static func refuse(_ connection: ControlConnection, _ message: String, exit: ExitStatus) {
    var error = ControlMessage(type: .error)
    error.message = message
    error.exit = exit.rawValue
    connection.finish(error)
  }

  /// - Parameter handle: nil for a peer that may not use the socket: its line is read, then refused.
  private static func readRequest(
    _ fd: Int32, _ connection: ControlConnection, _ queue: DispatchQueue,
    _ handle: (@Sendable (ControlRequest, ControlConnection) -> Void)?
  ) {
    let line = RequestLine()
    let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: io)
    let deadline = DispatchSource.makeTimerSource(queue: io)
    source.setEventHandler {
      let chunk = UnixSocket.readAvailable(fd)
      if chunk.isEmpty {
        line.settle(.malformed)
      } else {
        line.pending += chunk
        if let newline = line.pending.firstIndex(of: UInt8(ascii: "\n")) {
          line.settle(.line(String(decoding: line.pending[..<newline], as: UTF8.self)))
        } else if line.pending.count > maxRequestBytes {
          line.settle(.malformed)
        }
      }
      if line.outcome != nil { source.cancel() }
    }
    deadline.setEventHandler {
      line.settle(.silent)
      source.cancel()
    }
    // The descriptor is closed (by the connection) only once the source is cancelled.
    source.setCancelHandler {
      deadline.cancel()
      switch line.outcome {
      case .line(let text):
        guard let handle else {
          refuse(connection, "this control socket serves root and the daemon's own user only", exit: .failure)
          return
        }
        dispatch(text, connection, queue, handle)
      case .silent, nil: connection.drop()
      case .malformed:
        refuse(
          connection, "not a sourcekeep control request (one JSON line with \"v\" and \"command\" expected)",
          exit: .usage)
      }
    }
    deadline.schedule(deadline: .now() + .seconds(requestDeadline))
    deadline.resume()
    source.resume()
  }

  private static func dispatch(
    _ text: String, _ connection: ControlConnection, _ queue: DispatchQueue,
    _ handle: @escaping @Sendable (ControlRequest, ControlConnection) -> Void
  ) {
    guard let request = ControlCoding.decode(ControlRequest.self, text) else {
      refuse(
        connection, "not a sourcekeep control request (one JSON line with \"v\" and \"command\" expected)", exit: .usage
      )
      return
    }
    guard request.v == ControlProtocol.version else {
      refuse(
        connection,
        "control protocol version \(request.v) is not spoken here (the daemon speaks \(ControlProtocol.version)); "
          + "use the sourcekeep binary the daemon runs",
        exit: .failure)
      return
    }
    queue.async { handle(request, connection) }
  }
}
