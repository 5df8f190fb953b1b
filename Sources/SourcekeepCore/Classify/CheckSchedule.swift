public import Foundation

/// When a link is next due (issue: "sooner for failing links, later for long-dead links,
/// never stop, spread across the interval").
///
/// Pure: the catalog stores the answer in `link.next_check`; a check run takes the links
/// whose time has come.
public struct CheckSchedule: Sendable {
  /// `health.recheck_interval`.
  public var interval: TimeInterval
  /// Retry of a failed first capture: this, doubling per failure, capped at `interval`.
  public var captureRetry: TimeInterval = 15 * 60

  public init(interval: TimeInterval) { self.interval = interval }
  public init(health: HealthConfig) { self.init(interval: TimeInterval(health.recheckInterval.seconds)) }

  /// The next check time after a check at `now` that left the link in `memory`.
  /// - Parameters:
  ///   - linkID: spreads links over ±10 % of their interval, the same way every time, so a
  ///     run has steady load rather than one burst a day.
  ///   - captured: whether the link has a snapshot (without one, failures retry sooner).
  public func next(after now: Date, memory: LinkStateMachine.Memory, linkID: Int64, captured: Bool) -> Date {
    let base: TimeInterval
    switch memory.state {
    case .alive, .drifted, .pending:
      base = captured ? interval : min(interval, captureRetry)
    case .unknown:
      base = captured ? interval / 2 : min(interval, captureRetry * 2)
    case .failing:
      // Confirm quickly: a quarter interval at most, growing with each failure.
      let grow = captureRetry * pow(2, Double(max(0, memory.consecutiveFailures - 1)))
      base = min(interval / 4, grow)
    case .dead:
      // Back off up to 7 intervals, but never stop: links come back.
      let since = memory.deadSince.map { now.timeIntervalSince($0) } ?? 0
      base = min(interval * 7, interval * max(1, (since / interval).rounded(.down)))
    }
    return now.addingTimeInterval(base * (1 + Self.spread(linkID)))
  }

  /// A fixed offset in [-0.1, 0.1) per link.
  static func spread(_ id: Int64) -> Double {
    var x = UInt64(bitPattern: id) &+ 0x9E37_79B9_7F4A_7C15
    x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
    x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
    x ^= x >> 31
    return Double(x % 10_000) / 50_000 - 0.1
  }
}
