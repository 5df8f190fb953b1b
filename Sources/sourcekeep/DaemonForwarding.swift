import ArgumentParser
import Foundation
import SourcekeepApp
import SourcekeepCore
import SourcekeepDaemon

/// `ingest now` and `check now` when a daemon holds the store: the daemon does the run and
/// streams progress back; this prints it exactly as an in-process run would and exits with
/// the daemon's code.
enum DaemonForwarding {
  /// Runs `request` on the store's daemon. False when no daemon listens (the caller then runs
  /// in-process under the lock); otherwise prints the output and throws the exit code.
  static func run(
    _ request: ControlRequest, layout: StoreLayout, verb: String, mode: OutputMode,
    onLink: (String?) -> Void = { _ in }
  ) throws -> Bool {
    guard let fd = ControlClient.connect(layout.controlSocket) else { return false }
    let reporter = ProgressReporter(verb: verb, mode: mode)
    let last = ControlClient.exchange(fd: fd, request) { message in
      switch message.type {
      case .queued:
        printError("sourcekeep: the daemon is busy with another run; this one is queued behind it")
      case .starting:
        reporter.starting(message.total ?? 0)
      case .progress:
        onLink(message.record)
        reporter.show(
          line: message.line ?? "", record: message.record, done: message.done ?? 0, total: message.total ?? 0,
          captured: message.captured ?? 0, revisits: message.revisits ?? 0, failed: message.failed ?? 0,
          bytes: message.bytes ?? 0)
      case .result, .status, .error:
        break
      }
    }
    reporter.finishLine()
    reporter.printFailures()
    try finish(last, mode: mode)
    return true
  }

  /// The daemon's own status, nil when no daemon listens on the store's control socket.
  static func status(_ layout: StoreLayout) -> DaemonStatus? {
    guard let fd = ControlClient.connect(layout.controlSocket) else { return nil }
    return ControlClient.exchange(fd: fd, ControlRequest(command: .status)) { _ in }?.daemon
  }

  /// Prints a final `result`/`error` message and throws its exit code when not 0.
  static func finish(_ last: ControlMessage?, mode: OutputMode = .text) throws {
    guard let last else {
      printError(
        "sourcekeep: the daemon closed the connection before the run finished; see `sourcekeep journal` or `journalctl -u sourcekeep`"
      )
      throw ExitCode.failure
    }
    if let stderr = last.stderr, !stderr.isEmpty { FileHandle.standardError.write(Data(stderr.utf8)) }
    switch mode {
    case .text: StandardOutput.write(last.stdout ?? "")
    case .json: if let json = last.json, !json.isEmpty { StandardOutput.write(json + "\n") }
    case .quiet: if let line = last.finalLine, !line.isEmpty { StandardOutput.write(line + "\n") }
    }
    if last.type == .error { printError("sourcekeep: \(last.message ?? "the daemon refused the request")") }
    let code = last.exit ?? (last.type == .error ? 1 : 0)
    if code != 0 { throw ExitCode(code) }
  }
}

extension JobOutput {
  /// Prints what an in-process run produced (warnings first, then the summary, in `mode`) and
  /// throws its exit code when not 0.
  func emit(_ mode: OutputMode = .text) throws {
    if !stderr.isEmpty { FileHandle.standardError.write(Data(stderr.utf8)) }
    switch mode {
    case .text: StandardOutput.write(stdout)
    case .json: if !json.isEmpty { StandardOutput.write(json + "\n") }
    case .quiet: if !finalLine.isEmpty { StandardOutput.write(finalLine + "\n") }
    }
    if exit != .ok { throw ExitCode(exit) }
  }
}
