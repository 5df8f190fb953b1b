import Foundation
import SourcekeepCore

/// Shows a run's progress: on a terminal one live line on stderr (done/total, captured,
/// failed, MB, rate, ETA); piped, one plain line per link on stdout, so logs stay greppable.
final class ProgressReporter: @unchecked Sendable {
  // Called from the runner's task group one outcome at a time; the lock keeps state
  // consistent if a caller ever reports from several tasks.
  private let lock = NSLock()
  private let isTTY = isatty(STDERR_FILENO) == 1
  private let verb: String
  private var total = 0
  private let started = Date()
  private var lastDraw = Date.distantPast

  init(verb: String) { self.verb = verb }

  func starting(_ total: Int) {
    lock.withLock { self.total = total }
    if total == 0 { return }
    if !isTTY { print("\(verb): \(total) link(s)") }
  }

  func update(_ outcome: LinkOutcome, _ counts: RunCounts) {
    lock.withLock {
      if isTTY {
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.2 || counts.done == counts.total else { return }
        lastDraw = now
        let elapsed = max(0.001, now.timeIntervalSince(started))
        let rate = Double(counts.done) / elapsed
        let eta = rate > 0 ? Double(counts.total - counts.done) / rate : 0
        let mb = Double(counts.bytesWritten) / 1_048_576
        let line = String(
          format: "\r\u{1B}[K%@ %d/%d  captured %d  failed %d  %.1f MB  %.1f links/s  ETA %@", verb, counts.done,
          counts.total, counts.captured + counts.revisits, counts.failed, mb, rate, Self.clock(eta))
        FileHandle.standardError.write(Data(line.utf8))
        if counts.done == counts.total { FileHandle.standardError.write(Data("\n".utf8)) }
      } else {
        var line = "\(outcome.status.rawValue)\(outcome.reason.map { "/\($0)" } ?? "")"
        line = line.padding(toLength: max(line.count, 22), withPad: " ", startingAt: 0)
        line += " \(outcome.url)"
        if let title = outcome.title { line += "  「\(title)」" }
        if outcome.stateBefore != outcome.stateAfter { line += "  [\(outcome.stateBefore.rawValue) → \(outcome.stateAfter.rawValue)]" }
        if let detail = outcome.detail, outcome.recordType == nil { line += "  (\(detail.prefix(120)))" }
        print(line)
      }
    }
  }

  static func clock(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
  }
}
