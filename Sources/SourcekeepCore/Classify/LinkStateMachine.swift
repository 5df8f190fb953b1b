public import Foundation

/// What a check result means for a link's state (docs/design.md#link-state).
public enum CheckVerdict: Sendable, Equatable {
  /// ok / redirected: reset the failure count, state `alive`.
  case success
  /// Reachable, but the text no longer matches the first snapshot.
  case drifted
  /// gone, soft-404, server-error, unreachable, forbidden 451: counts toward `dead`.
  case failure
  /// blocked, rate-limited, excluded, forbidden 401/403: neither counts nor resets.
  case inconclusive

  /// The verdict for a check status (and its HTTP code, which decides `forbidden`).
  public init(status: CheckStatus, httpStatus: Int?) {
    switch status {
    case .ok, .redirected: self = .success
    case .drifted: self = .drifted
    case .gone, .soft404, .serverError, .unreachable: self = .failure
    // A 403 alone must never make a link dead: bot walls answer 403 to clients they dislike.
    case .forbidden: self = httpStatus == 451 ? .failure : .inconclusive
    case .blocked, .rateLimited, .excluded: self = .inconclusive
    }
  }
}

/// The link state machine, pure: the catalog stores `Memory`, a check feeds a verdict, the
/// machine returns the next memory. Tested without any I/O.
public struct LinkStateMachine: Sendable {
  /// What the machine remembers about one link.
  public struct Memory: Sendable, Equatable {
    public var state: LinkState
    public var consecutiveFailures: Int
    public var firstFailure: Date?
    public var deadSince: Date?
    public var lastOK: Date?

    public init(
      state: LinkState = .pending, consecutiveFailures: Int = 0, firstFailure: Date? = nil, deadSince: Date? = nil,
      lastOK: Date? = nil
    ) {
      self.state = state
      self.consecutiveFailures = consecutiveFailures
      self.firstFailure = firstFailure
      self.deadSince = deadSince
      self.lastOK = lastOK
    }
  }

  /// `health.dead_after_failures`.
  public var deadAfterFailures: Int
  /// `health.dead_after`, in seconds.
  public var deadAfter: TimeInterval

  public init(deadAfterFailures: Int, deadAfter: TimeInterval) {
    self.deadAfterFailures = deadAfterFailures
    self.deadAfter = deadAfter
  }

  public init(health: HealthConfig) {
    self.init(deadAfterFailures: health.deadAfterFailures, deadAfter: TimeInterval(health.deadAfter.seconds))
  }

  /// The memory after a check with `verdict` at `now`.
  public func next(_ m: Memory, _ verdict: CheckVerdict, at now: Date) -> Memory {
    var out = m
    switch verdict {
    case .success, .drifted:
      out.state = verdict == .success ? .alive : .drifted
      out.consecutiveFailures = 0
      out.firstFailure = nil
      out.deadSince = nil
      out.lastOK = now
    case .failure:
      out.consecutiveFailures += 1
      let first = m.consecutiveFailures == 0 ? now : (m.firstFailure ?? now)
      out.firstFailure = first
      if out.consecutiveFailures >= deadAfterFailures && now.timeIntervalSince(first) >= deadAfter {
        out.state = .dead
        out.deadSince = m.state == .dead ? (m.deadSince ?? now) : now
      } else {
        out.state = m.state == .dead ? .dead : .failing
      }
    case .inconclusive:
      if m.state == .pending { out.state = .unknown }
    }
    return out
  }
}
