import Foundation
import Logging
import SourcekeepApp
import SourcekeepCore

/// The reload and shutdown facet of `Daemon` (SIGHUP, SIGTERM, SIGINT).
extension Daemon {
  /// What asked for a reload (the journal's `trigger`).
  enum ReloadTrigger: String {
    case sighup = "SIGHUP"
    case control
  }

  /// Re-reads the configuration; an invalid one (or one moving the store) is rejected and the
  /// old one stays in force. Returns the problem, nil when the new config is in force.
  func reload(trigger: ReloadTrigger) -> String? {
    notifier.reloading()
    defer { notifier.notify("READY=1") }
    let problem: String?
    do {
      let fresh = try ConfigLoader.load(flag: configFlag)
      if fresh.config.storage.dir != loaded.config.storage.dir {
        problem =
          "[storage] dir changed from \(loaded.config.storage.dir) to \(fresh.config.storage.dir): moving the store needs a restart (systemctl restart sourcekeep)"
      } else {
        loaded = fresh
        ingestTimer?.update(every: Int(fresh.config.schedule.ingestEvery.seconds))
        checkTimer?.update(every: Int(fresh.config.schedule.checkEvery.seconds))
        watcher?.update(paths: fresh.config.digests.paths)
        problem = nil
      }
    } catch {
      problem = "\(error)"
    }
    if let problem {
      journal.record("error", [("message", .string("config reload rejected: \(problem)"))])
      journal.record(
        "config.reload", [("ok", .bool(false)), ("trigger", .string(trigger.rawValue)), ("message", .string(problem))])
      logger.error("config reload rejected, the previous configuration stays in force: \(problem)")
    } else {
      journal.record(
        "config.reload",
        [("ok", .bool(true)), ("trigger", .string(trigger.rawValue)), ("config", .string(loaded.origin.description))])
      logger.info("configuration reloaded", metadata: ["config": "\(loaded.origin)"])
    }
    sendStatus(force: true)
    return problem
  }

  /// SIGTERM/SIGINT: take no more work, let the run in flight finish its open links for up to
  /// ten seconds (the runner starts no new link once `stopFlag` is set), then exit 0.
  func stop(signal: Int32) {
    guard stopping == nil else { return }
    let reason = SignalWatcher.name(signal)
    stopping = reason
    stopFlag.set()
    notifier.notify("STOPPING=1")
    logger.notice("stopping", metadata: ["signal": "\(reason)", "in_flight": "\(current?.kind.name ?? "nothing")"])
    ingestTimer?.cancel()
    checkTimer?.cancel()
    watcher?.cancel()
    watchdog?.cancel()
    server?.stop()
    for job in pending {
      for listener in job.listeners {
        listener.finish(Self.refusal("the daemon stopped before this run started; run it again", exit: .busy))
      }
    }
    pending = []
    if current == nil {
      finishStop(reason: reason, abandoned: false)
    } else {
      queue.asyncAfter(deadline: .now() + 9) { [weak self] in
        self?.assumeIsolated { daemon in
          guard daemon.current != nil else { return }
          daemon.finishStop(reason: reason, abandoned: true)
        }
      }
    }
  }

  /// Journals `daemon.stop`, releases the lock (unless a run is abandoned) and lets `run()` return 0. When the run in
  /// flight overstayed, its remaining links are abandoned: every committed capture is already
  /// complete on disk before the catalog points at it (docs/design.md#durability-order), so
  /// leaving now loses nothing reported and corrupts nothing.
  /// - Parameter finished: connections just sent their result, flushed before the exit.
  func finishStop(reason: String, abandoned: Bool, finished: [ControlConnection] = []) {
    guard exitContinuation != nil else { return }
    let abandonedListeners = abandoned ? current?.listeners ?? [] : []
    for listener in abandonedListeners {
      listener.finish(
        Self.refusal(
          "the daemon stopped before this run finished (every link it reported is archived and catalogued); run it again",
          exit: .busy))
    }
    for connection in finished + abandonedListeners { connection.flush() }
    journal.record(
      "daemon.stop",
      [
        ("signal", .string(reason)), ("abandoned_run", .bool(abandoned)),
        ("uptime_s", .int(Int64(Date().timeIntervalSince(startedAt)))),
      ])
    logger.notice("stopped", metadata: ["abandoned_run": "\(abandoned)"])
    signals?.cancel()
    // An abandoned run's transfers may still be writing until the process exits: the store
    // lock stays held to the very end then (the kernel drops the flock at exit), so no other
    // writer can start on a store that is still being written (#13 Low 15).
    if !abandoned { lock = nil }
    exit(.ok)
  }

  func exit(_ code: ExitStatus) {
    exitContinuation?.resume(returning: code)
    exitContinuation = nil
  }
}
