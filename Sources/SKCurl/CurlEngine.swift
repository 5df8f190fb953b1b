internal import CCurlShim
internal import Clibcurl
import Foundation

/// Runs HTTP transfers on one libcurl multi handle, on one dedicated thread.
///
/// Engine choice: a dedicated thread (`sourcekeep.curl`) loops on `curl_multi_perform` +
/// `curl_multi_poll`, and `curl_multi_wakeup` interrupts the poll when new work arrives or
/// the engine stops. The alternative, the multi-socket API driven by per-socket
/// DispatchSources (corelibs' `MultiHandle.swift`), needs a source pair per socket, careful
/// close-socket ordering (an fd may only close after its sources' cancel handlers ran) and
/// hops between the Dispatch queue and curl callbacks; each of these has shipped bugs in
/// corelibs. sourcekeep runs at most `fetch.concurrency` (≤ 1024) transfers, where poll(2)
/// over that many sockets costs microseconds, so the simpler loop wins: every curl call
/// happens on one thread, no handle is ever touched concurrently, and nothing can close an
/// fd under a live source. Measured with `bench/fetch/run.sh` against `curl --parallel`.
///
/// One share handle holds the DNS cache, TLS sessions and the connection pool, so
/// keep-alive connections are reused across transfers.
///
/// Results come back through `perform(_:) async`, one continuation per transfer, resumed
/// on the engine thread.
public final class CurlEngine: Sendable {
  private let inbox: Inbox

  /// Starts the engine thread.
  /// - Throws: `CurlError` with code `.setup` when libcurl cannot create its handles.
  public init() throws(CurlError) {
    guard CurlGlobal.ensureInitialised() else {
      throw CurlError(code: .setup, message: "curl_global_init failed", url: "")
    }
    guard let multi = curl_multi_init() else {
      throw CurlError(code: .setup, message: "curl_multi_init failed", url: "")
    }
    guard let share = curl_share_init() else {
      curl_multi_cleanup(multi)
      throw CurlError(code: .setup, message: "curl_share_init failed", url: "")
    }
    for data in [CURL_LOCK_DATA_DNS, CURL_LOCK_DATA_SSL_SESSION, CURL_LOCK_DATA_CONNECT] {
      _ = sk_curl_share_setopt_long(share, CURLSHOPT_SHARE, Int(data.rawValue))
    }
    inbox = Inbox(multi: multi)
    // Ownership of the loop (and the multi and share handles) passes to the thread here;
    // this initialiser never touches it again.
    nonisolated(unsafe) let loop = EngineLoop(multi: multi, share: share, inbox: inbox)
    let thread = Thread { loop.run() }
    thread.name = "sourcekeep.curl"
    thread.stackSize = 1 << 20
    thread.start()
  }

  deinit { inbox.stop(waiter: nil) }

  /// Runs one transfer to its end.
  /// - Parameter spec: what to fetch and under which limits.
  /// - Returns: the outcome; failures are in `outcome.error`, never thrown.
  public func perform(_ spec: TransferSpec) async -> TransferOutcome {
    await withCheckedContinuation { continuation in
      if !inbox.submit(spec, continuation) {
        continuation.resume(
          returning: TransferOutcome(error: CurlError(code: .aborted, message: "engine stopped", url: spec.url)))
      }
    }
  }

  /// Stops the engine: transfers in flight end with `.aborted`, every connection and the
  /// multi handle are closed before this returns.
  public func shutdown() async {
    await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in inbox.stop(waiter: c) }
  }
}

/// The only state shared between callers and the engine thread, guarded by `lock`.
///
/// `@unchecked Sendable`: every stored var is read and written with `lock` held; `multi` is
/// used here only for `curl_multi_wakeup`, which libcurl documents as callable from any
/// thread, and only while `closed` is false (the engine thread sets it, under the lock,
/// before it cleans the multi handle up).
final class Inbox: @unchecked Sendable {
  private let lock = NSLock()
  private let multi: UnsafeMutableRawPointer
  private var pending: [(TransferSpec, CheckedContinuation<TransferOutcome, Never>)] = []
  private var stopping = false
  private var closed = false
  private var stopWaiters: [CheckedContinuation<Void, Never>] = []

  init(multi: UnsafeMutableRawPointer) { self.multi = multi }

  func submit(_ spec: TransferSpec, _ c: CheckedContinuation<TransferOutcome, Never>) -> Bool {
    lock.lock()
    defer { lock.unlock() }
    guard !stopping else { return false }
    pending.append((spec, c))
    _ = curl_multi_wakeup(multi)
    return true
  }

  func stop(waiter: CheckedContinuation<Void, Never>?) {
    lock.lock()
    if closed {
      lock.unlock()
      waiter?.resume()
      return
    }
    stopping = true
    if let waiter { stopWaiters.append(waiter) }
    _ = curl_multi_wakeup(multi)
    lock.unlock()
  }

  /// Engine thread: the new work, and whether to stop.
  func take() -> ([(TransferSpec, CheckedContinuation<TransferOutcome, Never>)], Bool) {
    lock.lock()
    defer { lock.unlock() }
    let work = pending
    pending.removeAll()
    return (work, stopping)
  }

  /// Engine thread, before cleanup: no more wakeups; returns who waits for the stop.
  func close() -> [CheckedContinuation<Void, Never>] {
    lock.lock()
    defer { lock.unlock() }
    closed = true
    let w = stopWaiters
    stopWaiters.removeAll()
    return w
  }
}

/// The engine thread's state: the multi and share handles and the transfers in flight.
/// Touched only by the thread `sourcekeep.curl` running `run()`.
final class EngineLoop {
  private let multi: UnsafeMutableRawPointer
  private let share: UnsafeMutableRawPointer
  private let inbox: Inbox
  private var active: [UnsafeMutableRawPointer: CurlEasy] = [:]

  init(multi: UnsafeMutableRawPointer, share: UnsafeMutableRawPointer, inbox: Inbox) {
    self.multi = multi
    self.share = share
    self.inbox = inbox
  }

  /// The thread running `run()`; every other method checks it is called there.
  private var owner: pthread_t?

  private func assertOnEngineThread() {
    assert(owner.map { pthread_equal($0, pthread_self()) != 0 } ?? false, "EngineLoop used off sourcekeep.curl")
  }

  func run() {
    owner = pthread_self()
    while true {
      let (work, stop) = inbox.take()
      if stop {
        for (spec, c) in work {
          c.resume(
            returning: TransferOutcome(error: CurlError(code: .aborted, message: "engine stopped", url: spec.url)))
        }
        break
      }
      for (spec, c) in work { start(spec, c) }
      var running: Int32 = 0
      _ = curl_multi_perform(multi, &running)
      drainFinished()
      // curl_multi_poll shortens the wait to libcurl's own next timeout, and a wakeup
      // (new work, stop) ends it at once; idle, the thread sleeps.
      var fds: Int32 = 0
      _ = curl_multi_poll(multi, nil, 0, active.isEmpty ? 60_000 : 1000, &fds)
    }
    for (raw, easy) in active {
      _ = curl_multi_remove_handle(multi, raw)
      easy.continuation.resume(
        returning: TransferOutcome(error: CurlError(code: .aborted, message: "engine stopped", url: easy.spec.url)))
    }
    active.removeAll()
    let waiters = inbox.close()
    curl_multi_cleanup(multi)
    curl_share_cleanup(share)
    for w in waiters { w.resume() }
  }

  private func start(_ spec: TransferSpec, _ c: CheckedContinuation<TransferOutcome, Never>) {
    assertOnEngineThread()
    do {
      let easy = try CurlEasy(spec: spec, share: share, continuation: c)
      let code = curl_multi_add_handle(multi, easy.raw)
      guard code == CURLM_OK else {
        c.resume(
          returning: TransferOutcome(
            error: CurlError(code: .setup, message: String(cString: curl_multi_strerror(code)), url: spec.url)))
        return
      }
      active[easy.raw] = easy
    } catch {
      c.resume(returning: TransferOutcome(error: error))
    }
  }

  private func drainFinished() {
    assertOnEngineThread()
    var raw: UnsafeMutableRawPointer? = nil
    var result = CURLE_OK
    while sk_curl_multi_next_done(multi, &raw, &result) != 0 {
      guard let done = raw, let easy = active.removeValue(forKey: done) else { continue }
      _ = curl_multi_remove_handle(multi, done)
      let outcome = easy.finish(result: result)
      easy.continuation.resume(returning: outcome)
    }
  }
}

@available(*, unavailable)
extension EngineLoop: Sendable {}
