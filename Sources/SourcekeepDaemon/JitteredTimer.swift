import Dispatch
import Foundation

/// A repeating schedule (`schedule.ingest_every`, `check_every`) with random jitter.
///
/// Each period is `every` plus up to 10 % (at most five minutes) of random delay, re-drawn
/// every time, so many daemons started together (or one restarted often) do not hit the same
/// sites in lockstep. One-shot Dispatch timer re-armed after each tick: nothing runs between
/// ticks, so an idle daemon sleeps.
///
/// Not Sendable: the `Daemon` actor owns it and calls it only from its isolation; the timer
/// fires on `queue`, the actor's executor, so the tick runs in that same isolation domain.
final class JitteredTimer {
  private let timer: any DispatchSourceTimer
  private var every: Double
  private(set) var next: Date = .distantFuture
  private let fire: @Sendable () -> Void

  init(every seconds: Int, queue: DispatchQueue, fire: @escaping @Sendable () -> Void) {
    self.every = Double(seconds)
    self.fire = fire
    timer = DispatchSource.makeTimerSource(queue: queue)
  }

  func start() {
    timer.setEventHandler { [weak self] in
      guard let self else { return }
      self.arm()
      self.fire()
    }
    arm()
    timer.resume()
  }

  /// Changes the period (config reload) and re-arms from now.
  func update(every seconds: Int) {
    guard Double(seconds) != every else { return }
    every = Double(seconds)
    arm()
  }

  func cancel() { timer.cancel() }

  private func arm() {
    let delay = every + Double.random(in: 0...min(every * 0.1, 300))
    next = Date().addingTimeInterval(delay)
    timer.schedule(deadline: .now() + delay, repeating: .never, leeway: .seconds(1))
  }
}
