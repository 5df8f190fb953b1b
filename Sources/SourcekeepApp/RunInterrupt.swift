import Dispatch
public import SourcekeepCore
import Synchronization

/// Ctrl-C (SIGINT) and SIGTERM during `ingest now` / `check now` (docs/design.md#interrupting-a-run,
/// a contract): the first signal stops the run from taking new links and lets the transfers in
/// flight finish for up to `grace` seconds; if they have not by then, or on a second signal, the
/// run is abandoned: the summary is printed from the links finished so far, `run.finish` is
/// journaled with `"interrupted": true` and the process exits 130 (SIGINT) or 143 (SIGTERM).
/// Abandoning is safe because a record is on disk before the catalog points at it (the SIGKILL
/// test proves it), so nothing reported as captured is lost.
public final class RunInterrupt: Sendable {
  /// The first signal received (0: none yet).
  private let received = Atomic<Int32>(0)
  private let abandoned = Atomic(false)
  /// The counts of the links finished so far (for an abandoned run's summary).
  private let lastCounts = Mutex(RunCounts())
  /// Seconds a stopping run waits for its transfers in flight. The contract says 10.
  public let grace: Double

  public init(grace: Double = 10) { self.grace = grace }

  /// Whether a stop was asked for; the runner reads it before starting each link.
  public var isStopping: Bool { received.load(ordering: .acquiring) != 0 }

  /// The signal that stopped the run, if one did.
  public var signal: Int32? {
    let value = received.load(ordering: .acquiring)
    return value == 0 ? nil : value
  }

  /// 130 for SIGINT, 143 for SIGTERM (128 + the signal number, as shells report it).
  public var exitCode: Int32? { signal.map { 128 + $0 } }

  /// `hooks` with the stop flag and a tally of finished links added.
  public func hooks(_ base: JobHooks) -> JobHooks {
    JobHooks(
      starting: base.starting,
      progress: { outcome, counts in
        self.lastCounts.withLock { $0 = counts }
        base.progress(outcome, counts)
      },
      shouldStop: { self.isStopping || base.shouldStop() })
  }

  /// What a received signal means for the run.
  public enum Arrival: Sendable, Equatable {
    /// The first: stop taking links.
    case first
    /// The same stop delivered again at once (`timeout` signals the child and then its whole
    /// process group, so one `timeout -s INT` arrives twice): ignored.
    case echo
    /// A later one: the user insists; abandon now.
    case insist
  }

  /// When the first signal came.
  private let firstAt = Mutex<ContinuousClock.Instant?>(nil)

  /// Records a signal and says what it means.
  @discardableResult
  public func receive(_ number: Int32) -> Arrival {
    let now = ContinuousClock.now
    if received.compareExchange(expected: 0, desired: number, ordering: .acquiringAndReleasing).exchanged {
      firstAt.withLock { $0 = now }
      return .first
    }
    let first = firstAt.withLock { $0 } ?? now
    return now - first < .milliseconds(250) ? .echo : .insist
  }

  /// Marks the run abandoned; true only for the first caller (the grace timer and a second
  /// signal may race).
  public func abandon() -> Bool {
    abandoned.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
  }

  /// Counts of the links finished so far.
  public var countsSoFar: RunCounts { lastCounts.withLock { $0 } }

  /// The one-line summary and the `run.finish` event of an abandoned run (`insisted`: a second
  /// signal, rather than the grace period running out).
  public func abandonment(command: String, journal: Journal, insisted: Bool) -> String {
    let c = countsSoFar
    let inFlight = max(0, c.total - c.done)
    journal.record(
      "run.finish",
      [
        ("command", .string(command)), ("interrupted", .bool(true)), ("abandoned", .bool(true)),
        ("signal", .string(SignalWatcher.name(signal ?? 0))), ("links", .int(Int64(c.total))),
        ("done", .int(Int64(c.done))), ("captured", .int(Int64(c.captured))),
        ("revisits", .int(Int64(c.revisits))), ("failed", .int(Int64(c.failed))),
        ("inconclusive", .int(Int64(c.inconclusive))), ("bytes_written", .int(c.bytesWritten)),
      ])
    return "\(command): interrupted by \(SignalWatcher.name(signal ?? 0)) · \(c.done) of \(c.total) link(s) done · "
      + "captured \(c.captured) · revisits \(c.revisits) · failed \(c.failed) · inconclusive \(c.inconclusive)\n"
      + "  abandoned: "
      + (insisted
        ? "stopped at once on a second signal" : "the transfers in flight had not finished after \(Int(grace)) s")
      + "; \(inFlight) link(s) left for the next run (nothing already reported was lost)\n"
  }
}
