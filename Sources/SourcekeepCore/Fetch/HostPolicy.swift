/// The politeness scheduler as a pure state machine: who may start a request now.
///
/// Limits: `concurrency` transfers in flight overall, `perHostConcurrency` per host, and
/// request starts to one host at least `perHostInterval` apart. Work waits in one queue
/// per host, and a grant goes to the oldest waiter among the hosts that may start now, so
/// a slow or rate-limited host never holds up the others. "Host" is scheme + host + port
/// (`hostKey`), per request, redirect hops included. The `Fetcher` executes the grants;
/// this struct only decides, so it is tested without a network or a clock.
///
/// The interval runs from when a request was actually sent, not from when it was granted:
/// a grant may wait for a connect (or a busy engine thread) before its bytes leave, so
/// while a host has a granted request whose sending is not yet reported (`markSent`), no
/// further request to it is granted. The server then sees starts at least the interval apart.
public struct HostPolicy: Sendable {
  public let concurrency: Int
  public let perHostConcurrency: Int
  public let perHostInterval: Duration

  private struct HostState {
    var inFlight = 0
    var lastStart: ContinuousClock.Instant?
    var unsent: Set<Int> = []
    var waiting: [(id: Int, seq: Int)] = []
    var head = 0
    var hasWaiters: Bool { head < waiting.count }
  }
  private var hosts: [String: HostState] = [:]
  private var ready: Set<String> = []  // hosts with waiters
  private var inFlight = 0
  private var seq = 0
  private var callsSinceSweep = 0

  public init(concurrency: Int, perHostConcurrency: Int, perHostInterval: Duration) {
    self.concurrency = max(1, concurrency)
    self.perHostConcurrency = max(1, perHostConcurrency)
    self.perHostInterval = perHostInterval
  }

  /// Hosts with state kept (in flight, waiting, or inside their interval).
  public var trackedHosts: Int { hosts.count }

  /// Forgets hosts with nothing in flight, nothing waiting and their interval over, so a
  /// long-running daemon does not keep one entry per host it ever saw.
  public mutating func sweep(now: ContinuousClock.Instant) {
    hosts = hosts.filter { _, state in
      state.inFlight > 0 || state.hasWaiters || !state.unsent.isEmpty
        || (state.lastStart.map { now < $0 + perHostInterval } ?? false)
    }
  }

  /// Transfers granted and not yet released.
  public var inFlightCount: Int { inFlight }

  /// Queues request `id` for `host`.
  public mutating func enqueue(_ id: Int, host: String) {
    seq += 1
    hosts[host, default: HostState()].waiting.append((id, seq))
    ready.insert(host)
  }

  /// Granted request `id` to `host` sent its request head at `at`.
  public mutating func markSent(_ id: Int, host: String, at: ContinuousClock.Instant) {
    guard var state = hosts[host] else { return }
    state.unsent.remove(id)
    if state.lastStart == nil || state.lastStart! < at { state.lastStart = at }
    hosts[host] = state
  }

  /// Granted request `id` to `host` finished; `sentAt` is when its request head was sent
  /// (nil if it never was: DNS failure, refused connection).
  public mutating func release(_ id: Int, host: String, sentAt: ContinuousClock.Instant?) {
    if let sentAt { markSent(id, host: host, at: sentAt) }
    guard var state = hosts[host], state.inFlight > 0 else { return }
    state.unsent.remove(id)
    state.inFlight -= 1
    inFlight -= 1
    if state.inFlight == 0 && !state.hasWaiters && perHostInterval == .zero {
      hosts[host] = nil
    } else {
      hosts[host] = state
    }
  }

  /// Grants every request that may start at `now`, oldest first.
  /// - Returns: the granted ids with their hosts, and when to ask again if some host waits
  ///   only for its interval (nil if nothing waits on time).
  public mutating func grants(now: ContinuousClock.Instant) -> (
    granted: [(id: Int, host: String)], wakeAt: ContinuousClock.Instant?
  ) {
    callsSinceSweep += 1
    if callsSinceSweep >= 1024 {
      callsSinceSweep = 0
      sweep(now: now)
    }
    var granted: [(Int, String)] = []
    var wakeAt: ContinuousClock.Instant?
    while inFlight < concurrency {
      var best: (host: String, seq: Int)?
      wakeAt = nil
      for host in ready {
        guard let state = hosts[host], state.hasWaiters, state.inFlight < perHostConcurrency else { continue }
        // Wait for the previous start to be known before timing the next one.
        if perHostInterval > .zero && !state.unsent.isEmpty { continue }
        if let last = state.lastStart, now < last + perHostInterval {
          let due = last + perHostInterval
          if wakeAt == nil || due < wakeAt! { wakeAt = due }
          continue
        }
        let s = state.waiting[state.head].seq
        if best == nil || s < best!.seq { best = (host, s) }
      }
      guard let pick = best else { break }
      var state = hosts[pick.host]!
      let id = state.waiting[state.head].id
      state.head += 1
      if !state.hasWaiters {
        state.waiting.removeAll(keepingCapacity: false)
        state.head = 0
        ready.remove(pick.host)
      } else if state.head > 64 && state.head * 2 > state.waiting.count {
        state.waiting.removeFirst(state.head)
        state.head = 0
      }
      state.inFlight += 1
      state.lastStart = now
      if perHostInterval > .zero { state.unsent.insert(id) }
      hosts[pick.host] = state
      inFlight += 1
      granted.append((id, pick.host))
    }
    if inFlight >= concurrency { wakeAt = nil }
    return (granted.map { (id: $0.0, host: $0.1) }, wakeAt)
  }

  /// The politeness key of a URL: `scheme://host:port`, default ports filled in, lowercased.
  public static func hostKey(scheme: String, host: String, port: Int?) -> String {
    let s = scheme.lowercased()
    let p = port ?? (s == "https" ? 443 : 80)
    return "\(s)://\(host.lowercased()):\(p)"
  }
}
