import Foundation
import Logging
import SourcekeepApp
import SourcekeepCore

/// The control-socket facet of `Daemon`: requests from the CLI, status for people and systemd.
extension Daemon {
  func serve(_ request: ControlRequest, _ connection: ControlConnection) {
    switch request.command {
    case .ingest:
      // The CLI checked these paths, but the daemon may not see them: its unit hides /home,
      // /root and /tmp (ProtectHome, PrivateTmp) and runs as its own user. Say so, not "0 digests".
      if let unseen = request.digests?.first(where: { !FileManager.default.isReadableFile(atPath: $0) }) {
        connection.finish(
          Self.refusal(
            "the daemon cannot read --digest \(unseen): the service runs as its own user, and its sandbox hides "
              + "/home, /root and /tmp (ProtectHome, PrivateTmp). Put the digest under a [digests] path, "
              + "or a folder the service can read, and run again",
            exit: .badInput))
        return
      }
      enqueue(
        Job(
          .ingest(files: request.digests, capture: !(request.noCapture ?? false)), reason: .control,
          listener: connection))
    case .check:
      enqueue(Job(.check(all: request.all ?? false, urls: request.urls ?? []), reason: .control, listener: connection))
    case .status:
      journal.record(
        "control.request",
        [("command", .string("status")), ("served_by", .string("daemon")), ("pid", .int(Int64(getpid())))])
      var message = ControlMessage(type: .status)
      message.daemon = status()
      connection.finish(message)
    case .reload:
      let problem = reload(trigger: .control)
      var message = ControlMessage(type: .result)
      message.exit = (problem == nil ? ExitStatus.ok : .config).rawValue
      message.stdout = problem == nil ? "reload: configuration re-read from \(loaded.origin)\n" : ""
      message.stderr =
        problem.map { "sourcekeep: reload rejected, the previous configuration stays in force: \($0)\n" } ?? ""
      connection.finish(message)
    case .unknown(let name):
      connection.finish(Self.refusal("unknown control command \(name) (ingest, check, status, reload)", exit: .usage))
    }
  }

  static func refusal(_ text: String, exit: ExitStatus) -> ControlMessage {
    var message = ControlMessage(type: .error)
    message.message = text
    message.exit = exit.rawValue
    return message
  }

  /// The daemon's own view for `sourcekeep status`.
  func status() -> DaemonStatus {
    let running = current != nil
    return DaemonStatus(
      pid: getpid(), version: SourcekeepVersion.string, startedAt: Timestamp.string(startedAt),
      uptimeSeconds: Int(Date().timeIntervalSince(startedAt)), activity: activity,
      done: running ? progress.done : nil, total: running ? progress.total : nil,
      lastIngest: lastIngest, lastCheck: lastCheck,
      nextIngest: ingestTimer.map { Timestamp.string($0.next) },
      nextCheck: checkTimer.map { Timestamp.string($0.next) },
      config: loaded.origin.description, queued: pending.count)
  }

  var activity: String {
    if stopping != nil { return "stopping" }
    switch current?.kind {
    case .ingest: return "ingesting"
    case .check: return "checking"
    case nil: return "idle"
    }
  }

  /// `STATUS=` for systemctl status: the activity and progress, at most once a second.
  func sendStatus(force: Bool) {
    let now = Date()
    guard force || now.timeIntervalSince(lastStatusSent) >= 1 else { return }
    lastStatusSent = now
    var text = activity
    if current != nil && progress.total > 0 { text += " \(progress.done)/\(progress.total)" }
    if current == nil, let ingest = ingestTimer?.next, let check = checkTimer?.next {
      text += " · next ingest \(Timestamp.string(ingest)) · next check \(Timestamp.string(check))"
    }
    notifier.status(text)
  }
}
