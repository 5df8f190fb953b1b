public import Foundation

/// When to try again, and after how long (docs/design.md#schedule-and-retries: transient failures are retried with
/// backoff inside one check).
///
/// Backoff is exponential with full jitter (a uniform delay between zero and
/// `min(maxDelay, baseDelay × 2^attempt)`), so many links failing at once on one host do
/// not come back in lockstep. A server's `Retry-After` replaces the jittered delay, capped
/// at `retryAfterCap` so one server cannot park a check for hours.
public struct RetryPolicy: Sendable, Equatable {
  /// `fetch.retries`: extra attempts after the first. Default 2.
  public var retries: Int
  /// The first backoff ceiling. Default 500 ms.
  public var baseDelay: Duration
  /// The largest backoff ceiling. Default 30 s.
  public var maxDelay: Duration
  /// The longest `Retry-After` honoured. Default 120 s.
  public var retryAfterCap: Duration

  public init(
    retries: Int = 2, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30),
    retryAfterCap: Duration = .seconds(120)
  ) {
    self.retries = retries
    self.baseDelay = baseDelay
    self.maxDelay = maxDelay
    self.retryAfterCap = retryAfterCap
  }

  /// Retryability, in one place: server-error, rate-limited, and unreachable because of a
  /// timeout, reset or refusal. Everything else is the answer.
  public static func isTransient(_ status: CheckStatus, _ reason: CheckReason?) -> Bool {
    switch status {
    case .serverError, .rateLimited: return true
    case .unreachable: return reason == .timeout || reason == .reset || reason == .refused
    default: return false
    }
  }

  /// The wait before attempt `attempt + 1` (attempt counts from 0).
  public func delay(
    afterAttempt attempt: Int, retryAfter: Duration?, using rng: inout some RandomNumberGenerator
  ) -> Duration {
    if let retryAfter { return min(max(retryAfter, .zero), retryAfterCap) }
    let ceilingMs = min(
      Double(maxDelay.milliseconds), Double(baseDelay.milliseconds) * pow(2, Double(min(attempt, 30))))
    guard ceilingMs > 0 else { return .zero }
    return .milliseconds(Int64(Double.random(in: 0...ceilingMs, using: &rng)))
  }

  /// Parses a `Retry-After` value: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
  /// - Returns: the wait from `now`, zero for a date in the past, nil when unparseable.
  public static func parseRetryAfter(_ value: String, now: Date = Date()) -> Duration? {
    let v = value.trimmingWhitespace()
    if let seconds = Int(v), seconds >= 0 { return .seconds(seconds) }
    for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
      let f = DateFormatter()
      f.locale = Locale(identifier: "en_US_POSIX")
      f.timeZone = TimeZone(identifier: "GMT")
      f.dateFormat = format
      if let date = f.date(from: String(v)) {
        let ms = Int64((date.timeIntervalSince(now) * 1000).rounded())
        return .milliseconds(max(0, ms))
      }
    }
    return nil
  }
}

extension Duration {
  /// Whole milliseconds.
  var milliseconds: Int64 {
    let (s, atto) = components
    return s * 1000 + atto / 1_000_000_000_000_000
  }
}
