import Foundation
import SKSystem
public import SourcekeepApp

/// The CLI's side of the control socket: asks a running daemon to do the work.
public enum ControlClient {
  /// Connects to the daemon of a store; nil when none listens there (no socket, or a stale
  /// one left by a daemon that crashed: the caller then runs in-process under the lock).
  public static func connect(_ path: String) -> Int32? {
    try? UnixSocket.connect(path)
  }

  /// Sends `request` on `fd` and passes each response line to `receive` until the daemon
  /// closes the connection. Returns the last message (nil if the daemon went away first).
  public static func exchange(
    fd: Int32, _ request: ControlRequest, receive: (ControlMessage) -> Void
  ) -> ControlMessage? {
    defer { UnixSocket.close(fd) }
    guard UnixSocket.writeAll(fd, request.encoded) else { return nil }
    var reader = LineReader(fd: fd)
    // Only a `result`, `error` or `status` line ends an exchange: a connection that closes after
    // progress lines alone (the daemon died or was killed) returns nil, not the last progress.
    var last: ControlMessage?
    while let line = reader.next() {
      guard let message = ControlCoding.decode(ControlMessage.self, line) else { continue }
      receive(message)
      if [.result, .error, .status].contains(message.type) { last = message }
    }
    return last
  }
}
