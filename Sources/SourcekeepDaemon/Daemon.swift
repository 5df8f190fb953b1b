public import Foundation
public import Logging
public import SourcekeepCore

/// `sourcekeep run`: holds the store, runs ingests and checks on jittered timers and when a
/// digest changes, serves the control socket, and talks to systemd.
///
/// All bookkeeping happens on one serial queue (`queue`): timers, the digest watcher, signal
/// sources, control requests and every progress report of a run land there, one at a time.
/// Runs themselves are async tasks (the shared `LinkRunner` engine); they report back by
/// hopping onto the queue. One run at a time: work that arrives meanwhile waits in `pending`,
/// and a timer tick or file change for a kind of run already waiting is merged into it.
public final class Daemon: @unchecked Sendable {
  // Every `var` below is read and written only on `queue` (checked by `onQueue()`).
  let queue = DispatchQueue(label: "sourcekeep.daemon")
  private let configFlag: String?
  private var loaded: LoadedConfig
  private let logger: Logger
  private let notifier: SystemdNotifier
  private let layout: StoreLayout
  private let startedAt = Date()
  private let stopFlag = StopFlag()

  private var lock: StoreLock?
  private var catalog: Catalog?
  private var journal: Journal
  private var server: ControlServer?
  private var signals: SignalWatcher?
  private var watcher: DigestWatcher?
  private var ingestTimer: JitteredTimer?
  private var checkTimer: JitteredTimer?
  private var watchdog: (any DispatchSourceTimer)?
  private var watchdogInFlight = false

  private var current: Job?
  private var pending: [Job] = []
  private var progress: (done: Int, total: Int) = (0, 0)
  private var lastProgressAt = Date()
  private var stallReported = false
  private var lastStatusSent = Date.distantPast
  private var lastIngest: DaemonStatus.RunSummary?
  private var lastCheck: DaemonStatus.RunSummary?
  private var stopping: String?
  private var exitContinuation: CheckedContinuation<Int32, Never>?

  /// One unit of work and the clients waiting for its output.
  final class Job: @unchecked Sendable {
    // Mutated only on the daemon's queue.
    enum Kind: Equatable {
      case ingest(files: [String]?, capture: Bool)
      case check(all: Bool, urls: [String])
      var name: String {
        switch self {
        case .ingest: "ingest"
        case .check: "check"
        }
      }
    }
    let kind: Kind
    /// Why it runs: `start`, `timer`, `digest-change`, `control`.
    var reasons: [String]
    var listeners: [ControlConnection]
    init(_ kind: Kind, reason: String, listener: ControlConnection? = nil) {
      self.kind = kind
      self.reasons = [reason]
      self.listeners = listener.map { [$0] } ?? []
    }
  }

  /// - Parameters:
  ///   - loaded: the configuration, already validated (the command exits 78 otherwise).
  ///   - configFlag: `--config` as given, re-read on SIGHUP.
  public init(loaded: LoadedConfig, configFlag: String?, logger: Logger, environment: [String: String] = ProcessInfo.processInfo.environment) {
    self.loaded = loaded
    self.configFlag = configFlag
    self.logger = logger
    self.notifier = SystemdNotifier(environment: environment)
    self.layout = StoreLayout(root: loaded.config.storage.dir)
    self.journal = Journal(directory: layout.journalDirectory)
  }

  private func onQueue() { dispatchPrecondition(condition: .onQueue(queue)) }

  /// Runs until SIGTERM/SIGINT. Returns the exit code: 0 after a clean stop, 75 when another
  /// process holds the store, 1 when the store cannot be opened.
  public func run() async -> Int32 {
    await withCheckedContinuation { continuation in
      queue.async {
        self.exitContinuation = continuation
        if let code = self.start() { self.exit(code) }
      }
    }
  }

  /// Opens the store and starts every source of work; an exit code when that failed.
  private func start() -> Int32? {
    onQueue()
    do {
      lock = try StoreLock(path: layout.lockFile)
    } catch let busy as StoreBusy {
      FileHandle.standardError.write(Data("sourcekeep: \(busy)\n".utf8))
      return 75
    } catch {
      logger.error("cannot create the lock file \(layout.lockFile): \(error). Check [storage] dir and its permissions.")
      return 1
    }
    do {
      try FileManager.default.createDirectory(atPath: layout.root, withIntermediateDirectories: true)
      catalog = try Catalog(path: layout.catalog)
    } catch {
      logger.error("cannot open the catalog \(layout.catalog): \(error)")
      return 1
    }
    let stale = FileManager.default.fileExists(atPath: layout.controlSocket)
    do {
      server = try ControlServer(path: layout.controlSocket, queue: queue) { [weak self] request, connection in
        self?.serve(request, connection)
      }
    } catch {
      logger.error("cannot listen on \(layout.controlSocket): \(error). Check [storage] dir (socket paths are limited to 107 bytes).")
      return 1
    }
    if stale { logger.notice("replaced a stale control socket left by a daemon that stopped uncleanly", metadata: ["path": "\(layout.controlSocket)"]) }
    server?.start()
    signals = SignalWatcher(
      queue: queue,
      handlers: [
        (SIGTERM, { @Sendable [weak self] in self?.stop(signal: SIGTERM) }),
        (SIGINT, { @Sendable [weak self] in self?.stop(signal: SIGINT) }),
        (SIGHUP, { @Sendable [weak self] in _ = self?.reload(trigger: "SIGHUP") }),
      ])
    startSchedules()
    startWatchdog()
    journal.record(
      "daemon.start",
      [
        ("pid", .int(Int64(getpid()))), ("version", .string(SourcekeepVersion.string)),
        ("config", .string(loaded.origin.description)), ("stale_socket_replaced", .bool(stale)),
      ])
    logger.info(
      "started", metadata: ["pid": "\(getpid())", "store": "\(layout.root)", "config": "\(loaded.origin)"])
    notifier.notify("READY=1", "MAINPID=\(getpid())")
    enqueue(Job(.ingest(files: nil, capture: true), reason: "start"))
    return nil
  }

  private func startSchedules() {
    onQueue()
    let schedule = loaded.config.schedule
    ingestTimer = JitteredTimer(every: Int(schedule.ingestEvery.seconds), queue: queue) { [weak self] in
      self?.enqueue(Job(.ingest(files: nil, capture: true), reason: "timer"))
    }
    checkTimer = JitteredTimer(every: Int(schedule.checkEvery.seconds), queue: queue) { [weak self] in
      self?.enqueue(Job(.check(all: false, urls: []), reason: "timer"))
    }
    watcher = DigestWatcher(paths: loaded.config.digests.paths, queue: queue) { [weak self] in
      self?.enqueue(Job(.ingest(files: nil, capture: true), reason: "digest-change"))
    }
    ingestTimer?.start()
    checkTimer?.start()
    watcher?.start()
  }

  /// `WATCHDOG=1` at half of `$WATCHDOG_USEC`, sent only after a round trip through the
  /// daemon queue and the cooperative pool, the two things every run depends on: a wedged
  /// queue or a starved pool stops the pings and systemd restarts the service. A run whose
  /// engine has finished no link for far longer than any one transfer may take (`stallLimit`)
  /// counts as hung too, and stops the pings the same way.
  private func startWatchdog() {
    onQueue()
    guard let interval = notifier.watchdogInterval else { return }
    let timer = DispatchSource.makeTimerSource(queue: queue)
    timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(Int(interval * 100)))
    timer.setEventHandler { [weak self] in
      guard let daemon = self, !daemon.watchdogInFlight, !daemon.engineStalled() else { return }
      daemon.watchdogInFlight = true
      Task {
        await Task.yield()
        daemon.queue.async {
          daemon.watchdogInFlight = false
          if daemon.stopping == nil { daemon.notifier.notify("WATCHDOG=1") }
        }
      }
    }
    timer.resume()
    watchdog = timer
  }

  /// The longest a run may go without finishing any link: three times the worst case of one
  /// link (every attempt hitting the whole-transfer timeout), at least five minutes.
  private var stallLimit: Double {
    let fetch = loaded.config.fetch
    return max(300, 3 * Double(fetch.timeoutS * (fetch.retries + 1)))
  }

  /// True when a run is under way but its engine has not finished a link within `stallLimit`.
  private func engineStalled() -> Bool {
    onQueue()
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

  // MARK: Work queue

  /// Queues a job, merging it into an equal one already waiting; a timer or watcher tick for
  /// a kind of run already going or waiting is dropped (ticks coalesce, never pile up).
  private func enqueue(_ job: Job) {
    onQueue()
    guard stopping == nil else {
      for listener in job.listeners { listener.finish(Self.refusal("the daemon is stopping; try again when it has restarted", exit: 75)) }
      return
    }
    let fromSchedule = job.reasons == ["timer"]
    if fromSchedule && current?.kind == job.kind { return }
    if let waiting = pending.first(where: { $0.kind == job.kind }) {
      waiting.reasons += job.reasons
      waiting.listeners += job.listeners
      for listener in job.listeners { listener.send(ControlMessage(type: .queued)) }
      return
    }
    pending.append(job)
    if current != nil {
      for listener in job.listeners { listener.send(ControlMessage(type: .queued)) }
    }
    startNext()
  }

  private func startNext() {
    onQueue()
    guard current == nil, stopping == nil, !pending.isEmpty, let catalog else { return }
    let job = pending.removeFirst()
    current = job
    progress = (0, 0)
    lastProgressAt = Date()
    let runJournal = Journal(directory: layout.journalDirectory)
    if job.reasons.contains("control") {
      runJournal.record("control.request", [("command", .string(job.kind.name)), ("served_by", .string("daemon")), ("pid", .int(Int64(getpid())))])
    }
    logger.info("\(job.kind.name) starts", metadata: ["reason": "\(job.reasons.joined(separator: ","))", "run": "\(runJournal.runID)"])
    sendStatus(force: true)
    let hooks = JobHooks(
      starting: { total in self.queue.async { self.runStarting(total) } },
      progress: { outcome, counts in
        let line = Jobs.progressLine(outcome)
        self.queue.async { self.runProgress(line, counts) }
      },
      shouldStop: { [stopFlag] in stopFlag.isSet })
    let loaded = self.loaded
    Task {
      let output: JobOutput
      switch job.kind {
      case .ingest(let files, let capture):
        output = await Jobs.ingest(loaded: loaded, catalog: catalog, journal: runJournal, files: files, capture: capture, hooks: hooks)
      case .check(let all, let urls):
        output = await Jobs.check(loaded: loaded, catalog: catalog, journal: runJournal, all: all, urls: urls, hooks: hooks)
      }
      self.queue.async { self.finished(job, output) }
    }
  }

  private func runStarting(_ total: Int) {
    onQueue()
    progress = (0, total)
    var message = ControlMessage(type: .starting)
    message.total = total
    current?.listeners.forEach { $0.send(message) }
    sendStatus(force: true)
  }

  private func runProgress(_ line: String, _ counts: RunCounts) {
    onQueue()
    progress = (counts.done, counts.total)
    lastProgressAt = Date()
    var message = ControlMessage(type: .progress)
    message.line = line
    message.done = counts.done
    message.total = counts.total
    message.captured = counts.captured + counts.revisits
    message.failed = counts.failed
    message.bytes = counts.bytesWritten
    current?.listeners.forEach { $0.send(message) }
    sendStatus(force: false)
  }

  private func finished(_ job: Job, _ output: JobOutput) {
    onQueue()
    current = nil
    let summary = DaemonStatus.RunSummary(
      finishedAt: Timestamp.string(Date()), outcome: output.stdout.split(separator: "\n").first.map(String.init) ?? output.stderr,
      exit: output.exit)
    switch job.kind {
    case .ingest: lastIngest = summary
    case .check: lastCheck = summary
    }
    let level: Logger.Level = output.exit == 0 ? .info : .error
    logger.log(level: level, "\(job.kind.name) finished: \(summary.outcome)", metadata: ["exit": "\(output.exit)"])
    if output.exit != 0 && !output.stderr.isEmpty { logger.error("\(output.stderr)") }
    var message = ControlMessage(type: .result)
    message.stdout = output.stdout
    message.stderr = output.stderr
    message.exit = output.exit
    for listener in job.listeners { listener.finish(message) }
    if let reason = stopping {
      finishStop(reason: reason, abandoned: false)
      return
    }
    sendStatus(force: true)
    startNext()
  }

  // MARK: Control requests

  private func serve(_ request: ControlRequest, _ connection: ControlConnection) {
    onQueue()
    switch request.command {
    case "ingest":
      enqueue(Job(.ingest(files: request.digests, capture: !(request.noCapture ?? false)), reason: "control", listener: connection))
    case "check":
      enqueue(Job(.check(all: request.all ?? false, urls: request.urls ?? []), reason: "control", listener: connection))
    case "status":
      journal.record("control.request", [("command", .string("status")), ("served_by", .string("daemon")), ("pid", .int(Int64(getpid())))])
      var message = ControlMessage(type: .status)
      message.daemon = status()
      connection.finish(message)
    case "reload":
      let problem = reload(trigger: "control")
      var message = ControlMessage(type: .result)
      message.exit = problem == nil ? 0 : 78
      message.stdout = problem == nil ? "reload: configuration re-read from \(loaded.origin)\n" : ""
      message.stderr = problem.map { "sourcekeep: reload rejected, the previous configuration stays in force: \($0)\n" } ?? ""
      connection.finish(message)
    default:
      connection.finish(Self.refusal("unknown control command \(request.command) (ingest, check, status, reload)", exit: 64))
    }
  }

  private static func refusal(_ text: String, exit: Int32) -> ControlMessage {
    var message = ControlMessage(type: .error)
    message.message = text
    message.exit = exit
    return message
  }

  /// The daemon's own view for `sourcekeep status`.
  private func status() -> DaemonStatus {
    onQueue()
    let running = current != nil
    return DaemonStatus(
      pid: getpid(), version: SourcekeepVersion.string, startedAt: Timestamp.string(startedAt),
      uptimeSeconds: Int(Date().timeIntervalSince(startedAt)), activity: activity,
      done: running ? progress.done : nil, total: running ? progress.total : nil,
      lastIngest: lastIngest, lastCheck: lastCheck,
      nextIngest: ingestTimer.map { Timestamp.string($0.next) }, nextCheck: checkTimer.map { Timestamp.string($0.next) },
      config: loaded.origin.description, queued: pending.count)
  }

  private var activity: String {
    if stopping != nil { return "stopping" }
    switch current?.kind {
    case .ingest: return "ingesting"
    case .check: return "checking"
    case nil: return "idle"
    }
  }

  /// `STATUS=` for systemctl status: the activity and progress, at most once a second.
  private func sendStatus(force: Bool) {
    onQueue()
    let now = Date()
    guard force || now.timeIntervalSince(lastStatusSent) >= 1 else { return }
    lastStatusSent = now
    var text = activity
    if current != nil && progress.total > 0 { text += " \(progress.done)/\(progress.total)" }
    if current == nil, let ingest = ingestTimer?.next, let check = checkTimer?.next {
      text += " · next ingest \(Timestamp.string(ingest)) · next check \(Timestamp.string(check))"
    }
    notifier.status(text)
  }

  // MARK: Reload and stop

  /// Re-reads the configuration; an invalid one (or one moving the store) is rejected and the
  /// old one stays in force. Returns the problem, nil when the new config is in force.
  private func reload(trigger: String) -> String? {
    onQueue()
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
      journal.record("config.reload", [("ok", .bool(false)), ("trigger", .string(trigger)), ("message", .string(problem))])
      logger.error("config reload rejected, the previous configuration stays in force: \(problem)")
    } else {
      journal.record(
        "config.reload", [("ok", .bool(true)), ("trigger", .string(trigger)), ("config", .string(loaded.origin.description))])
      logger.info("configuration reloaded", metadata: ["config": "\(loaded.origin)"])
    }
    sendStatus(force: true)
    return problem
  }

  /// SIGTERM/SIGINT: take no more work, let the run in flight finish its open links for up to
  /// ten seconds (the runner starts no new link once `stopFlag` is set), then exit 0.
  private func stop(signal: Int32) {
    onQueue()
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
      for listener in job.listeners { listener.finish(Self.refusal("the daemon stopped before this run started; run it again", exit: 75)) }
    }
    pending = []
    if current == nil {
      finishStop(reason: reason, abandoned: false)
    } else {
      queue.asyncAfter(deadline: .now() + 9) { [weak self] in
        guard let self, self.current != nil else { return }
        self.finishStop(reason: reason, abandoned: true)
      }
    }
  }

  /// Journals `daemon.stop`, releases the lock and lets `run()` return 0. When the run in
  /// flight overstayed, its remaining links are abandoned: every committed capture is already
  /// complete on disk before the catalog points at it (DESIGN.md durability order), so
  /// leaving now loses nothing reported and corrupts nothing.
  private func finishStop(reason: String, abandoned: Bool) {
    onQueue()
    guard exitContinuation != nil else { return }
    journal.record(
      "daemon.stop",
      [
        ("signal", .string(reason)), ("abandoned_run", .bool(abandoned)),
        ("uptime_s", .int(Int64(Date().timeIntervalSince(startedAt)))),
      ])
    logger.notice("stopped", metadata: ["abandoned_run": "\(abandoned)"])
    signals?.cancel()
    lock = nil
    exit(0)
  }

  private func exit(_ code: Int32) {
    onQueue()
    exitContinuation?.resume(returning: code)
    exitContinuation = nil
  }
}

/// Set once on SIGTERM; read by the runner before it starts each link (any thread).
final class StopFlag: @unchecked Sendable {
  // `value` is guarded by `lock`.
  private let lock = NSLock()
  private var value = false
  var isSet: Bool { lock.withLock { value } }
  func set() { lock.withLock { value = true } }
}
