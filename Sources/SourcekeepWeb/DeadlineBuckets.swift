import Synchronization

/// Waits for request deadlines without a timer per request (`RequestTimeLimit`).
///
/// Why: `Task.sleep` leaves its timer queued until its deadline even when the sleeping task is
/// cancelled first. One 10 s sleep per request, cancelled a few milliseconds later, kept ~100,000
/// timers alive at 10,000 requests a second and doubled `serve`'s peak RSS (74 → 150 MB,
/// docs/performance.md#web-view). Here requests whose deadlines fall in the same tenth of the
/// limit share one timer, and a cancelled waiter is dropped at once: at most eleven timers are
/// alive, each living one limit.
final class DeadlineBuckets: Sendable {
  let limit: Duration
  let granularity: Duration
  private let origin = ContinuousClock.now

  private enum Phase {
    /// Registered; its continuation not yet stored.
    case pending
    case waiting(CheckedContinuation<Void, Never>)
    /// Cancelled before its continuation was stored.
    case cancelled
  }

  private struct State {
    var next: UInt64 = 0
    var waiters: [UInt64: Phase] = [:]
    var buckets: [Int64: Set<UInt64>] = [:]
  }

  private let state = Mutex(State())

  init(limit: Duration) {
    self.limit = limit
    granularity = limit / 10
  }

  /// Returns once `limit` has passed since the call (up to a tenth of it later), or as soon
  /// as the calling task is cancelled.
  func wait() async {
    let bucket = Int64(((ContinuousClock.now - origin) + limit) / granularity) + 1
    let (id, startTimer) = state.withLock { s -> (UInt64, Bool) in
      s.next += 1
      s.waiters[s.next] = .pending
      let isNew = s.buckets[bucket] == nil
      s.buckets[bucket, default: []].insert(s.next)
      return (s.next, isNew)
    }
    if startTimer {
      let due = origin + granularity * Int(bucket)
      Task { [weak self] in
        try? await Task.sleep(until: due, clock: .continuous)
        self?.fire(bucket)
      }
    }
    await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let resumeNow = state.withLock { s -> Bool in
          switch s.waiters[id] {
          case .pending?:
            s.waiters[id] = .waiting(continuation)
            return false
          default:  // cancelled meanwhile, or its bucket fired
            s.waiters[id] = nil
            return true
          }
        }
        if resumeNow { continuation.resume() }
      }
    } onCancel: {
      let continuation = state.withLock { s -> CheckedContinuation<Void, Never>? in
        s.buckets[bucket]?.remove(id)
        switch s.waiters[id] {
        case .waiting(let c)?:
          s.waiters[id] = nil
          return c
        case .pending?:
          s.waiters[id] = .cancelled
          return nil
        default:
          return nil
        }
      }
      continuation?.resume()
    }
  }

  /// The waiters of `bucket` whose time has come.
  private func fire(_ bucket: Int64) {
    let due = state.withLock { s -> [CheckedContinuation<Void, Never>] in
      var out: [CheckedContinuation<Void, Never>] = []
      for id in s.buckets.removeValue(forKey: bucket) ?? [] {
        switch s.waiters[id] {
        case .waiting(let c)?:
          s.waiters[id] = nil
          out.append(c)
        case .pending?:
          s.waiters[id] = .cancelled  // its continuation, once stored, resumes at once
        default:
          break
        }
      }
      return out
    }
    for c in due { c.resume() }
  }

  /// Waiters registered now (for tests).
  var waiting: Int { state.withLock { $0.waiters.count } }
}
