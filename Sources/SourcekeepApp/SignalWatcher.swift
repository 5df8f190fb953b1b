public import Dispatch
import Foundation
import Synchronization

/// SIGTERM, SIGINT and SIGHUP delivered as Dispatch events on a queue (the daemon's, or an
/// `ingest now`/`check now` run's): the handlers run as ordinary code, never inside an
/// async-signal context (as swift-service-lifecycle's `UnixSignals` does).
///
/// On Linux a Dispatch signal source is a `signalfd`, and libdispatch installs its own handler
/// for the signal when the source is registered, which happens asynchronously, on the source's
/// queue, after `resume()`. Until then the signal keeps its default action. The default
/// actions used to be set to "ignore" first; a signal in that window was then lost: the daemon
/// sent READY=1 before its sources were registered, and a SIGTERM the moment it was ready (one
/// start in three on the scale benchmark's catalog) left it running until SIGKILL. Now the
/// default action stands until registration (a stop before then ends the process at once,
/// which before READY=1 loses nothing), and `registered()` / `onRegistered` say when the
/// handlers are live: the daemon is ready only then, and a CLI run starts its work only then.
///
/// Not Sendable: its owner (the `Daemon` actor, a CLI run) keeps it; the handlers it is given are
/// the Sendable part.
public final class SignalWatcher {
  private let sources: [any DispatchSourceSignal]
  private let registration: Registration

  /// - Parameter onRegistered: called once on `queue` when every source is registered.
  public init(
    queue: DispatchQueue, handlers: [(Int32, @Sendable () -> Void)], onRegistered: (@Sendable () -> Void)? = nil
  ) {
    let registration = Registration(sources: handlers.count, then: onRegistered)
    var sources: [any DispatchSourceSignal] = []
    for (number, handler) in handlers {
      let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
      source.setEventHandler(handler: handler)
      source.setRegistrationHandler { registration.sourceRegistered() }
      source.resume()
      sources.append(source)
    }
    self.sources = sources
    self.registration = registration
    if handlers.isEmpty { queue.async { registration.sourceRegistered() } }
  }

  /// Returns once every signal's source is registered: from then on each signal reaches its
  /// handler. Registration takes milliseconds; should libdispatch never report it (it could not
  /// make a `signalfd`, say, with every descriptor in use), this returns after `limit` all the
  /// same, with false, rather than hang the caller.
  @discardableResult
  public func registered(within limit: Duration = .seconds(5)) async -> Bool {
    await registration.wait(within: limit)
  }

  public func cancel() {
    for source in sources { source.cancel() }
  }

  /// The signal's name for the journal (`SIGTERM`).
  public static func name(_ number: Int32) -> String {
    switch number {
    case SIGTERM: "SIGTERM"
    case SIGINT: "SIGINT"
    case SIGHUP: "SIGHUP"
    default: "signal \(number)"
    }
  }
}

/// Counts the sources' registrations down to zero, then calls `then` and wakes the waiters.
private final class Registration: Sendable {
  private struct State {
    var remaining: Int
    var waiters: [Int: CheckedContinuation<Bool, Never>] = [:]
    var nextWaiter = 0
  }
  private let state: Mutex<State>
  private let then: (@Sendable () -> Void)?

  init(sources: Int, then: (@Sendable () -> Void)?) {
    state = Mutex(State(remaining: max(1, sources)))
    self.then = then
  }

  func sourceRegistered() {
    let waiters = state.withLock { s -> [CheckedContinuation<Bool, Never>]? in
      s.remaining -= 1
      guard s.remaining == 0 else { return nil }
      defer { s.waiters = [:] }
      return Array(s.waiters.values)
    }
    guard let waiters else { return }
    then?()
    for waiter in waiters { waiter.resume(returning: true) }
  }

  /// True once registered; false when `limit` passed first (the waiter is let go then).
  func wait(within limit: Duration) async -> Bool {
    await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
      let id = state.withLock { s -> Int? in
        if s.remaining <= 0 { return nil }
        s.nextWaiter += 1
        s.waiters[s.nextWaiter] = continuation
        return s.nextWaiter
      }
      guard let id else { return continuation.resume(returning: true) }
      let seconds = Double(limit.components.seconds) + Double(limit.components.attoseconds) / 1e18
      DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
        state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(returning: false)
      }
    }
  }
}
