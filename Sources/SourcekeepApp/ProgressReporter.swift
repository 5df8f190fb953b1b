import Foundation
public import SourcekeepCore
import Synchronization

/// How a command prints: for people, `--json` lines for tools, or `--quiet` for cron (only
/// errors and one final line).
public enum OutputMode: Sendable, Equatable {
  case text
  case json
  case quiet
}

/// Shows a run's progress: on a terminal one live line on stderr (done/total, captured,
/// failed, MB, rate, ETA); piped, one plain line per link on stdout, so logs stay greppable.
/// The same display serves an in-process run and one streamed back by the daemon.
public final class ProgressReporter: Sendable {
  // Called from the runner's task group one outcome at a time; the mutex keeps the line
  // whole if a caller ever reports from several tasks.
  private let lastDraw = Mutex(Date.distantPast)
  /// Whether the live line is on screen unfinished (drawn, no newline yet).
  private let lineOpen = Mutex(false)
  /// On a terminal the live line shows no URLs: the failed links' lines, kept for the end,
  /// with the failure count last seen (a rise means the link just reported failed).
  private let failures = Mutex((lines: [String](), lastFailed: 0))
  private let isTTY = isatty(STDERR_FILENO) == 1
  private let verb: String
  private let started = Date()
  public let mode: OutputMode

  public init(verb: String, mode: OutputMode = .text) {
    self.verb = verb
    self.mode = mode
  }

  public func starting(_ total: Int) {
    if total == 0 || mode != .text { return }
    if !isTTY { StandardOutput.write("\(verb): \(total) link(s)\n") }
  }

  public func update(_ outcome: LinkOutcome, _ counts: RunCounts) {
    show(
      line: Jobs.progressLine(outcome), record: RunJSON.link(outcome), done: counts.done, total: counts.total,
      captured: counts.captured, revisits: counts.revisits, failed: counts.failed, bytes: counts.bytesWritten)
  }

  /// One finished link: with `--json` its JSON line on stdout; otherwise the live line on a
  /// terminal (stderr) or the plain line on stdout; nothing with `--quiet`.
  public func show(
    line: String, record: String?, done: Int, total: Int, captured: Int, revisits: Int, failed: Int, bytes: Int64
  ) {
    switch mode {
    case .quiet: return
    case .json:
      if let record { StandardOutput.write(record + "\n") }
      return
    case .text: break
    }
    if isTTY {
      failures.withLock {
        if failed > $0.lastFailed { $0.lines.append(line) }
        $0.lastFailed = failed
      }
    }
    lastDraw.withLock { lastDraw in
      if isTTY {
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.2 || done == total else { return }
        lastDraw = now
        let elapsed = max(0.001, now.timeIntervalSince(started))
        let rate = Double(done) / elapsed
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let text = String(
          format: "\r\u{1B}[K%@ %d/%d  captured %d  revisits %d  failed %d  %@  %.1f links/s  ETA %@", verb,
          done, total, captured, revisits, failed, ByteSize.forPeople(bytes), rate, Self.clock(eta))
        FileHandle.standardError.write(Data(text.utf8))
        lineOpen.withLock { $0 = true }
        if done == total { finishLine() }
      } else {
        StandardOutput.write(TerminalText.clean(line, singleLine: true) + "\n")
      }
    }
  }

  /// Ends the live line on a terminal (a run that stops early never reaches done == total),
  /// so what follows starts on a line of its own.
  public func finishLine() {
    let open = lineOpen.withLock { open in
      defer { open = false }
      return open
    }
    if open { FileHandle.standardError.write(Data("\n".utf8)) }
  }

  /// On a terminal, the lines of the links that failed (at most 50), after the run; piped
  /// output already has every line.
  public func printFailures() {
    guard isTTY, mode == .text else { return }
    let lines = failures.withLock { $0.lines }
    guard !lines.isEmpty else { return }
    finishLine()
    var text = "failed (\(lines.count)):\n"
    for line in lines.prefix(50) { text += "  " + TerminalText.clean(line, singleLine: true) + "\n" }
    if lines.count > 50 { text += "  … and \(lines.count - 50) more (`sourcekeep report --state failing`)\n" }
    StandardOutput.write(text)
  }

  /// `m:ss`, or `h:mm:ss` from an hour on (ETA here, uptime in `status`).
  public static func clock(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    return s >= 3600
      ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
  }
}
