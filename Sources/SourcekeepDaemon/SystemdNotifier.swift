import Foundation
import SKSystem

/// `sd_notify(3)` without libsystemd: one datagram of `KEY=value` lines to `$NOTIFY_SOCKET`.
///
/// systemd documents the protocol as stable (a path, or `@name` for an abstract address);
/// writing it directly keeps the binary free of a libsystemd dependency. Without
/// `$NOTIFY_SOCKET` (not under systemd) every call does nothing. Send failures are ignored,
/// as `sd_notify` callers do: the service must not die because the manager is busy.
struct SystemdNotifier: Sendable {
  /// The socket from `$NOTIFY_SOCKET`, nil when not run by systemd.
  let socketPath: String?
  /// Half of `$WATCHDOG_USEC` (systemd's advice for the ping interval), nil when no watchdog
  /// is configured for this process.
  let watchdogInterval: Double?

  init(environment: [String: String] = ProcessInfo.processInfo.environment) {
    let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
    socketPath = path
    var interval: Double?
    if let usec = environment["WATCHDOG_USEC"].flatMap(UInt64.init), usec > 0 {
      // WATCHDOG_PID, when set, names the process the watchdog is meant for.
      let pid = environment["WATCHDOG_PID"].flatMap(Int32.init)
      if pid == nil || pid == getpid() { interval = Double(usec) / 2_000_000 }
    }
    watchdogInterval = interval
  }

  /// Sends `READY=1`, `STATUS=…`, `WATCHDOG=1`, … (one or more `KEY=value` lines).
  func notify(_ assignments: String...) {
    guard let socketPath else { return }
    let text = assignments.joined(separator: "\n")
    try? UnixSocket.sendDatagram(Array(text.utf8), to: socketPath)
  }

  /// `STATUS=` takes one line: newlines would start a new assignment.
  func status(_ text: String) {
    notify("STATUS=" + text.replacingOccurrences(of: "\n", with: " "))
  }

  /// `RELOADING=1` with the monotonic timestamp newer systemd wants beside it.
  func reloading() {
    notify("RELOADING=1", "MONOTONIC_USEC=\(SystemClock.monotonicMicroseconds())")
  }
}
