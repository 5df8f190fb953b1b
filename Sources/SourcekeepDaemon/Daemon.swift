public import Foundation
public import Logging
public import SourcekeepApp
public import SourcekeepCore
import SourcekeepWeb
import Synchronization

/// `sourcekeep run`: holds the store, runs ingests and checks on jittered timers and when a
/// digest changes, serves the control socket, and talks to systemd.
///
/// An actor whose executor is one serial queue (`queue`): timers, the digest watcher, signal
/// sources, control requests and every progress report of a run land there, one at a time,
/// and enter the actor with `assumeIsolated` (the runtime checks they run on the queue).
/// Runs themselves are async tasks (the shared `LinkRunner` engine); they report back by
/// hopping onto the queue. One run at a time: work that arrives meanwhile waits in `pending`,
/// and a timer tick or file change for a kind of run already waiting is merged into it.
public actor Daemon {
  private let executor = QueueExecutor(label: "sourcekeep.daemon")
  public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
  /// The actor's queue, for the Dispatch sources whose handlers run on the actor.
  nonisolated var queue: DispatchQueue { executor.queue }
  let configFlag: String?
  var loaded: LoadedConfig
  let logger: Logger
  let notifier: SystemdNotifier
  let layout: StoreLayout
  let startedAt = Date()
  let stopFlag = StopFlag()

  var lock: StoreLock?
  var catalog: Catalog?
  var journal: Journal
  var server: ControlServer?
  var signals: SignalWatcher?
  /// READY=1 was sent (`becomeReady`).
  private var ready = false
  var watcher: DigestWatcher?
  var ingestTimer: JitteredTimer?
  var checkTimer: JitteredTimer?
  var watchdog: (any DispatchSourceTimer)?
  var watchdogInFlight = false
  /// The web view, while `[web] listen` is set (Daemon+Web.swift).
  var web: WebService?

  var current: Job?
  var pending: [Job] = []
  var progress: (done: Int, total: Int) = (0, 0)
  var lastProgressAt = Date()
  var stallReported = false
  var lastStatusSent = Date.distantPast
  var lastIngest: DaemonStatus.RunSummary?
  var lastCheck: DaemonStatus.RunSummary?
  var stopping: String?
  var exitContinuation: CheckedContinuation<ExitStatus, Never>?

  /// One unit of work and the clients waiting for its output.
  struct Job: Sendable {
    enum Kind: Equatable, Sendable {
      case ingest(files: [String]?, capture: Bool)
      case check(all: Bool, urls: [String])
      var name: String {
        switch self {
        case .ingest: "ingest"
        case .check: "check"
        }
      }
    }
    /// Why it runs (logged as the raw values).
    enum Reason: String, Sendable {
      case start, timer, control
      case digestChange = "digest-change"
    }
    let kind: Kind
    var reasons: [Reason]
    var listeners: [ControlConnection]
    init(_ kind: Kind, reason: Reason, listener: ControlConnection? = nil) {
      self.kind = kind
      self.reasons = [reason]
      self.listeners = listener.map { [$0] } ?? []
    }
  }

  /// - Parameters:
  ///   - loaded: the configuration, already validated (the command exits 78 otherwise).
  ///   - configFlag: `--config` as given, re-read on SIGHUP.
  public init(
    loaded: LoadedConfig, configFlag: String?, logger: Logger,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) {
    self.loaded = loaded
    self.configFlag = configFlag
    self.logger = logger
    self.notifier = SystemdNotifier(environment: environment)
    self.layout = StoreLayout(root: loaded.config.storage.dir)
    self.journal = Journal(directory: layout.journalDirectory)
  }

  /// Runs until SIGTERM/SIGINT. Returns `ok` after a clean stop, `busy` when another process
  /// holds the store, `failure` when the store cannot be opened.
  public func run() async -> ExitStatus {
    let status = await withCheckedContinuation { continuation in
      exitContinuation = continuation
      if let code = start() { exit(code) }
    }
    await stopWeb()
    return status
  }

  /// Opens the store and starts every source of work; an exit status when that failed.
  private func start() -> ExitStatus? {
    do {
      lock = try StoreLock(path: layout.lockFile)
    } catch let busy as StoreBusy {
      FileHandle.standardError.write(Data("sourcekeep: \(busy)\n".utf8))
      return .busy
    } catch {
      logger.error("cannot create the lock file \(layout.lockFile): \(error). Check [storage] dir and its permissions.")
      return .failure
    }
    do {
      try FileManager.default.createDirectory(atPath: layout.root, withIntermediateDirectories: true)
      catalog = try openCatalog()
    } catch {
      logger.error("cannot open the catalog \(layout.catalog): \(error)")
      return .failure
    }
    let stale = FileManager.default.fileExists(atPath: layout.controlSocket)
    do {
      server = try ControlServer(path: layout.controlSocket, queue: queue) { [weak self] request, connection in
        self?.assumeIsolated { $0.serve(request, connection) }
      }
    } catch {
      logger.error(
        "cannot listen on \(layout.controlSocket): \(error). Check [storage] dir (socket paths are limited to 107 bytes)."
      )
      return .failure
    }
    if stale {
      logger.notice(
        "replaced a stale control socket left by a daemon that stopped uncleanly",
        metadata: ["path": "\(layout.controlSocket)"])
    }
    server?.start()
    if let code = startWeb() { return code }
    // READY=1 waits for the signal sources: from then on a SIGTERM is always handled (see
    // SignalWatcher). Registration takes milliseconds once this queue is free; should it never
    // report, the daemon says so and is ready all the same, rather than fail its start.
    signals = SignalWatcher(
      queue: queue,
      handlers: [
        (SIGTERM, { @Sendable [weak self] in self?.assumeIsolated { $0.stop(signal: SIGTERM) } }),
        (SIGINT, { @Sendable [weak self] in self?.assumeIsolated { $0.stop(signal: SIGINT) } }),
        (SIGHUP, { @Sendable [weak self] in self?.assumeIsolated { _ = $0.reload(trigger: .sighup) } }),
      ], onRegistered: { @Sendable [weak self] in self?.assumeIsolated { $0.becomeReady(late: false) } })
    queue.asyncAfter(deadline: .now() + 5) { [weak self] in self?.assumeIsolated { $0.becomeReady(late: true) } }
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
    return nil
  }

  /// READY=1 and the start-up ingest, once the signal handlers are live (or after 5 s, `late`).
  private func becomeReady(late: Bool) {
    guard !ready, stopping == nil else { return }
    ready = true
    if late {
      logger.warning("the signal handlers did not report their registration within 5 s; ready all the same")
    }
    notifier.notify("READY=1", "MAINPID=\(getpid())")
    enqueue(Job(.ingest(files: nil, capture: true), reason: .start))
  }

  private func startSchedules() {
    let schedule = loaded.config.schedule
    ingestTimer = JitteredTimer(every: Int(schedule.ingestEvery.seconds), queue: queue) { [weak self] in
      self?.assumeIsolated { $0.enqueue(Job(.ingest(files: nil, capture: true), reason: .timer)) }
    }
    checkTimer = JitteredTimer(every: Int(schedule.checkEvery.seconds), queue: queue) { [weak self] in
      self?.assumeIsolated { $0.enqueue(Job(.check(all: false, urls: []), reason: .timer)) }
    }
    watcher = DigestWatcher(paths: loaded.config.digests.paths, queue: queue) { [weak self] in
      self?.assumeIsolated { $0.enqueue(Job(.ingest(files: nil, capture: true), reason: .digestChange)) }
    }
    ingestTimer?.start()
    checkTimer?.start()
    watcher?.start()
  }

  // MARK: Work queue

  /// Queues a job, merging it into an equal one already waiting; a timer or watcher tick for
  /// a kind of run already going or waiting is dropped (ticks coalesce, never pile up).
  func enqueue(_ job: Job) {
    guard stopping == nil else {
      for listener in job.listeners {
        listener.finish(Self.refusal("the daemon is stopping; try again when it has restarted", exit: .busy))
      }
      return
    }
    let fromSchedule = job.reasons == [.timer]
    if fromSchedule && current?.kind == job.kind { return }
    if let index = pending.firstIndex(where: { $0.kind == job.kind }) {
      pending[index].reasons += job.reasons
      pending[index].listeners += job.listeners
      for listener in job.listeners { listener.send(ControlMessage(type: .queued)) }
      return
    }
    pending.append(job)
    if current != nil {
      for listener in job.listeners { listener.send(ControlMessage(type: .queued)) }
    }
    startNext()
  }

  func startNext() {
    guard current == nil, stopping == nil, !pending.isEmpty, let catalog else { return }
    let job = pending.removeFirst()
    current = job
    progress = (0, 0)
    lastProgressAt = Date()
    let runJournal = Journal(directory: layout.journalDirectory)
    if job.reasons.contains(.control) {
      runJournal.record(
        "control.request",
        [("command", .string(job.kind.name)), ("served_by", .string("daemon")), ("pid", .int(Int64(getpid())))])
    }
    let reasons = job.reasons.map(\.rawValue).joined(separator: ",")
    logger.info("\(job.kind.name) starts", metadata: ["reason": "\(reasons)", "run": "\(runJournal.runID)"])
    sendStatus(force: true)
    // Plain queue hops, not tasks: they reach the actor in the order the runner reported them,
    // and the run's result (below) after all of them.
    let hooks = JobHooks(
      starting: { total in self.queue.async { self.assumeIsolated { $0.runStarting(total) } } },
      progress: { outcome, counts in
        let (line, record) = (Jobs.progressLine(outcome), RunJSON.link(outcome))
        self.queue.async { self.assumeIsolated { $0.runProgress(line, record, counts) } }
      },
      shouldStop: { [stopFlag] in stopFlag.isSet })
    let loaded = self.loaded
    Task {
      let output: JobOutput
      switch job.kind {
      case .ingest(let files, let capture):
        output = await Jobs.ingest(
          loaded: loaded, catalog: catalog, journal: runJournal, files: files, capture: capture, hooks: hooks)
      case .check(let all, let urls):
        output = await Jobs.check(
          loaded: loaded, catalog: catalog, journal: runJournal, all: all, urls: urls, hooks: hooks)
      }
      // Back on the actor's queue, behind every progress report the run queued there.
      self.finished(job, output)
    }
  }

  func runStarting(_ total: Int) {
    progress = (0, total)
    var message = ControlMessage(type: .starting)
    message.total = total
    for listener in current?.listeners ?? [] { listener.send(message) }
    sendStatus(force: true)
  }

  func runProgress(_ line: String, _ record: String, _ counts: RunCounts) {
    progress = (counts.done, counts.total)
    lastProgressAt = Date()
    var message = ControlMessage(type: .progress)
    message.line = line
    message.record = record
    message.done = counts.done
    message.total = counts.total
    message.captured = counts.captured
    message.revisits = counts.revisits
    message.failed = counts.failed
    message.bytes = counts.bytesWritten
    for listener in current?.listeners ?? [] { listener.send(message) }
    sendStatus(force: false)
  }

  func finished(_ job: Job, _ output: JobOutput) {
    current = nil
    let summary = DaemonStatus.RunSummary(
      finishedAt: Timestamp.string(Date()),
      // The one-line summary with the counts (captured, failed, …), for the log and `status`.
      outcome: output.finalLine.isEmpty
        ? output.stdout.split(separator: "\n").first.map(String.init) ?? output.stderr : output.finalLine,
      exit: output.exit.rawValue)
    switch job.kind {
    case .ingest: lastIngest = summary
    case .check: lastCheck = summary
    }
    let level: Logger.Level = output.exit == .ok ? .info : .error
    logger.log(
      level: level, "\(job.kind.name) finished: \(summary.outcome)", metadata: ["exit": "\(output.exit.rawValue)"])
    if output.exit != .ok && !output.stderr.isEmpty { logger.error("\(output.stderr)") }
    var message = ControlMessage(type: .result)
    message.stdout = output.stdout
    message.json = output.json
    message.finalLine = output.finalLine
    message.stderr = output.stderr
    message.exit = output.exit.rawValue
    for listener in job.listeners { listener.finish(message) }
    if let reason = stopping {
      finishStop(reason: reason, abandoned: false, finished: job.listeners)
      return
    }
    sendStatus(force: true)
    startNext()
  }
}

/// Set once on SIGTERM; read by the runner before it starts each link (any thread).
final class StopFlag: Sendable {
  private let value = Atomic(false)
  var isSet: Bool { value.load(ordering: .acquiring) }
  func set() { value.store(true, ordering: .releasing) }
}
