import Foundation
import Logging
import SourcekeepCore

/// The watchdog facet of `Daemon`: pings systemd only while the daemon and its engine work.
extension Daemon {
  /// `WATCHDOG=1` at half of `$WATCHDOG_USEC`, sent only after a round trip through the
  /// daemon queue and the cooperative pool, the two things every run depends on: a wedged
  /// queue or a starved pool stops the pings and systemd restarts the service. A run whose
  /// engine has finished no link for far longer than any one transfer may take (`stallLimit`)
  /// counts as hung too, and stops the pings the same way.
  func startWatchdog() {
    guard let interval = notifier.watchdogInterval else { return }
    let timer = DispatchSource.makeTimerSource(queue: queue)
    timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(Int(interval * 100)))
    timer.setEventHandler { [weak self] in
      self?.assumeIsolated { $0.watchdogTick() }
    }
    timer.resume()
    watchdog = timer
  }

  /// One watchdog period: out through the cooperative pool and back onto the daemon's queue.
  private func watchdogTick() {
    guard !watchdogInFlight, !engineStalled() else { return }
    watchdogInFlight = true
    // Detached: a child of the actor would start on its queue, and the ping must prove the pool.
    Task.detached {
      await Task.yield()
      await self.watchdogReturned()
    }
  }

  private func watchdogReturned() {
    watchdogInFlight = false
    if stopping == nil { notifier.notify("WATCHDOG=1") }
  }

  /// The longest a run may go without finishing any link. Every link ends within
  /// `fetch.link_deadline_s` (all hops, retries and waits included; docs/design.md#schedule-and-retries),
  /// so twice that with nothing finished means the engine is hung, not busy with one slow link;
  /// at least five minutes.
  var stallLimit: Double {
    max(300, 2 * Double(loaded.config.fetch.linkDeadlineS))
  }

  /// True when a run is under way but its engine has not finished a link within `stallLimit`.
  func engineStalled() -> Bool {
    guard current != nil, progress.total > progress.done else { return false }
    let stalled = Date().timeIntervalSince(lastProgressAt) > stallLimit
    if stalled && !stallReported {
      stallReported = true
      logger.critical(
        "the engine finished no link for \(Int(stallLimit)) s; withholding WATCHDOG=1 so systemd restarts the service")
      journal.record("error", [("message", .string("engine stalled: no link finished for \(Int(stallLimit)) s"))])
    }
    return stalled
  }
}
