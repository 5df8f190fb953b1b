import Foundation
public import Logging
internal import SKCurl

/// Fetches URLs politely and safely, and reports exactly what came back.
///
/// One `Fetcher` owns one libcurl engine (`CurlEngine`: a multi handle on its own thread).
/// It enforces `[fetch]`: global and per-host concurrency, the per-host start interval,
/// timeouts and the body cap, http/https only, the private-network guard at connect time,
/// redirects followed hop by hop (each hop scheduled and guarded like a first request),
/// and retries of transient failures with backoff. Requests for a URL already in flight
/// are merged: the callers share one result.
public actor Fetcher {
  public nonisolated let config: FetchConfig
  nonisolated let tuning: FetchTuning
  nonisolated let logger: Logger
  nonisolated let engine: CurlEngine
  nonisolated let addressGuard: AddressGuard
  nonisolated let gate: SlotGate
  nonisolated let retryPolicy: RetryPolicy
  nonisolated let proxyMode: TransferProxy
  /// Asked when a link's first request has its slot, just before it is sent: false once the
  /// run is stopping (SIGINT/SIGTERM), so links still waiting for politeness are left for the
  /// next run instead of being fetched during the stop (docs/design.md#interrupting-a-run).
  nonisolated let shouldStart: @Sendable () -> Bool
  private var inFlight: [String: Task<FetchResult, Never>] = [:]

  /// - Parameters:
  ///   - config: the `[fetch]` section.
  ///   - tuning: knobs that are not config keys (low-speed limit, backoff). Default production values.
  ///   - logger: where fetch events go (`info` and below).
  /// - Throws: `FetchError` for a bad `private_allowlist` entry or when libcurl cannot start.
  public init(
    config: FetchConfig, tuning: FetchTuning = FetchTuning(), logger: Logger = Logger(label: "sourcekeep.fetch"),
    shouldStart: @escaping @Sendable () -> Bool = { true }
  )
    throws(FetchError)
  {
    self.config = config
    self.shouldStart = shouldStart
    self.tuning = tuning
    self.logger = logger
    proxyMode = Fetcher.proxyMode(config.proxy)
    addressGuard = try AddressGuard(
      allowPrivateNetworks: config.allowPrivateNetworks, allowlist: config.privateAllowlist)
    do {
      engine = try CurlEngine()
    } catch {
      throw FetchError(.engineUnavailable, "libcurl could not start: \(error.message); check the libcurl installation")
    }
    gate = SlotGate(
      HostPolicy(
        concurrency: config.concurrency, perHostConcurrency: config.perHostConcurrency,
        perHostInterval: .milliseconds(config.perHostIntervalMs)))
    retryPolicy = RetryPolicy(
      retries: config.retries, baseDelay: tuning.backoffBase, maxDelay: tuning.backoffMax,
      retryAfterCap: tuning.retryAfterCap)
  }

  /// Fetches one URL: redirects followed, retries done, the final status decided.
  /// A request for a URL already in flight waits for that fetch instead of starting another.
  public func fetch(_ request: FetchRequest) async -> FetchResult {
    let key = request.mergeKey
    if let running = inFlight[key] { return await running.value }
    let task = Task { await self.run(request) }
    inFlight[key] = task
    let result = await task.value
    inFlight[key] = nil
    return result
  }

  /// Fetches many URLs at once under the same limits; results in request order.
  public func fetch(_ requests: [FetchRequest]) async -> [FetchResult] {
    let collected = ResultSlots(count: requests.count)
    await fetch(requests) { i, r in await collected.put(i, r) }
    return await collected.all()
  }

  /// Fetches many URLs under the same limits and hands each result to `consume` as it
  /// completes, so memory holds only the transfers in flight, not every body at once.
  ///
  /// Requests are started in a window (a suspended fetch costs several KB): at most
  /// `2 × per_host_concurrency` per first host and `4 × concurrency` overall, picked round
  /// robin across hosts, so a long list for one slow host never keeps the others waiting.
  /// - Parameters:
  ///   - requests: the URLs, in the order they are queued.
  ///   - consume: called once per request, in completion order, with its index.
  public func fetch(
    _ requests: [FetchRequest], each consume: @Sendable (Int, FetchResult) async -> Void
  ) async {
    var window = BatchWindow(
      requests: requests, perHost: 2 * config.perHostConcurrency, total: 4 * max(1, config.concurrency))
    await withTaskGroup(of: (Int, FetchResult).self) { group in
      for i in window.next() { group.addTask { (i, await self.fetch(requests[i])) } }
      for await (i, r) in group {
        window.finished(i)
        for j in window.next() { group.addTask { (j, await self.fetch(requests[j])) } }
        await consume(i, r)
      }
    }
  }

  /// Closes every connection and stops the engine thread; later fetches end `aborted`.
  public func shutdown() async { await engine.shutdown() }

  // MARK: attempts

  nonisolated func run(_ request: FetchRequest) async -> FetchResult {
    let clock = ContinuousClock()
    let start = clock.now
    // fetch.link_deadline_s: every hop, retry and wait of this link together.
    let deadline = start + .seconds(config.linkDeadlineS)
    var attempts: [FetchAttempt] = []
    var rng = SystemRandomNumberGenerator()
    for n in 0...max(0, retryPolicy.retries) {
      var attempt = await attemptOnce(request, deadline: deadline, first: n == 0)
      // A stopping run does not wait to retry: this attempt is the result.
      let last = n == retryPolicy.retries || !shouldStart()
      if !last, RetryPolicy.isTransient(attempt.status, attempt.reason) {
        let wait = retryPolicy.delay(afterAttempt: n, retryAfter: attempt.retryAfter, using: &rng)
        // No time left for the wait and another attempt: this attempt is the result.
        if clock.now + wait >= deadline {
          attempts.append(attempt)
          break
        }
        // Superseded: its bodies are not archived or classified (see `shedBodies`).
        attempt.delayBeforeNext = wait
        attempt.shedBodies()
        attempts.append(attempt)
        logger.info(
          "retrying",
          metadata: [
            "url": "\(request.url)", "status": "\(attempt.status.rawValue)", "fetch.backoff_ms": "\(wait.milliseconds)",
          ])
        try? await Task.sleep(for: wait)
        continue
      }
      attempts.append(attempt)
      break
    }
    let final = attempts[attempts.count - 1]
    let elapsed = clock.now - start
    return FetchResult(
      request: request, status: final.status, reason: final.reason, httpStatus: final.httpStatus,
      finalURL: final.hops.last?.url ?? request.url, attempts: attempts,
      elapsedMs: Double(elapsed.milliseconds))
  }
}

/// Executes `HostPolicy` grants: callers wait here for a slot, a timer wakes hosts whose
/// interval has passed.
actor SlotGate {
  private var policy: HostPolicy
  private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
  private var nextID = 0
  private var timerAt: ContinuousClock.Instant?

  init(_ policy: HostPolicy) { self.policy = policy }

  /// Waits for a slot to `host`; returns the grant id for `sent` and `release`.
  func acquire(host: String) async -> Int {
    nextID += 1
    let id = nextID
    await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
      waiters[id] = c
      policy.enqueue(id, host: host)
      pump()
    }
    return id
  }

  func sent(_ id: Int, host: String, at: ContinuousClock.Instant) {
    policy.markSent(id, host: host, at: at)
    pump()
  }

  func release(_ id: Int, host: String, sentAt: ContinuousClock.Instant?) {
    policy.release(id, host: host, sentAt: sentAt)
    pump()
  }

  private func pump() {
    let (granted, wakeAt) = policy.grants(now: .now)
    for g in granted { waiters.removeValue(forKey: g.id)?.resume() }
    if let wakeAt, timerAt == nil || wakeAt < timerAt! {
      timerAt = wakeAt
      Task {
        try? await Task.sleep(until: wakeAt, clock: .continuous)
        self.timerFired(wakeAt)
      }
    }
  }

  private func timerFired(_ at: ContinuousClock.Instant) {
    if timerAt == at { timerAt = nil }
    pump()
  }
}

/// Which requests of a batch to start next: a window per first host and overall.
struct BatchWindow {
  private var queues: [String: [Int]] = [:]
  private var heads: [String: Int] = [:]
  private var running: [String: Int] = [:]
  private var hosts: [String] = []
  private var cursor = 0
  private var keys: [String]
  private var total = 0
  let perHost: Int
  let limit: Int

  init(requests: [FetchRequest], perHost: Int, total limit: Int) {
    self.perHost = max(1, perHost)
    self.limit = max(1, limit)
    keys = requests.map { r in
      let url = URL(string: r.url)
      return HostPolicy.hostKey(scheme: url?.scheme ?? "", host: url?.host ?? r.url, port: url?.port)
    }
    for (i, key) in keys.enumerated() {
      if queues[key] == nil { hosts.append(key) }
      queues[key, default: []].append(i)
    }
  }

  /// Indices to start now.
  mutating func next() -> [Int] {
    var out: [Int] = []
    var idle = 0
    while total < limit, !hosts.isEmpty, idle < hosts.count {
      cursor %= hosts.count
      let host = hosts[cursor]
      let head = heads[host, default: 0]
      let queue = queues[host]!
      if head >= queue.count {
        hosts.remove(at: cursor)
        queues[host] = nil
        heads[host] = nil
        idle = 0
        continue
      }
      if running[host, default: 0] >= perHost {
        cursor += 1
        idle += 1
        continue
      }
      out.append(queue[head])
      heads[host] = head + 1
      running[host, default: 0] += 1
      total += 1
      cursor += 1
      idle = 0
    }
    return out
  }

  /// Request `index` is done.
  mutating func finished(_ index: Int) {
    running[keys[index], default: 1] -= 1
    total -= 1
  }
}

/// Collects batch results by index.
actor ResultSlots {
  private var slots: [FetchResult?]
  init(count: Int) { slots = Array(repeating: nil, count: count) }
  func put(_ i: Int, _ r: FetchResult) { slots[i] = r }
  func all() -> [FetchResult] { slots.map { $0! } }
}
