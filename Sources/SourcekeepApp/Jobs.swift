import Foundation
public import SourcekeepCore
import Synchronization

/// What a finished `ingest now` or `check now` prints and returns.
///
/// The CLI and the daemon both run jobs through `Jobs`, so a command served over the control
/// socket prints exactly what it prints in-process and exits with the same code.
public struct JobOutput: Sendable {
  public var stdout = ""
  public var stderr = ""
  /// The summary as one compact JSON line (`--json`; `RunJSON`), empty when the run failed
  /// before it had one.
  public var json = ""
  /// The summary in one line, for `--quiet` (cron mails).
  public var finalLine = ""
  public var exit = ExitStatus.ok
  public init() {}
}

/// The callbacks a run reports through (progress display, daemon status, stop flag).
public struct JobHooks: Sendable {
  public var starting: @Sendable (Int) -> Void
  public var progress: @Sendable (LinkOutcome, RunCounts) -> Void
  public var shouldStop: @Sendable () -> Bool

  public init(
    starting: @escaping @Sendable (Int) -> Void = { _ in },
    progress: @escaping @Sendable (LinkOutcome, RunCounts) -> Void = { _, _ in },
    shouldStop: @escaping @Sendable () -> Bool = { false }
  ) {
    self.starting = starting
    self.progress = progress
    self.shouldStop = shouldStop
  }
}

/// The two runs the daemon and the CLI share, with their summaries.
public enum Jobs {
  /// A digest of the effective configuration, recorded in each WARC file's warcinfo record.
  static func configDigest(_ loaded: LoadedConfig) -> String {
    SHA1.warcDigest(Array(EffectiveConfig.render(loaded).utf8))
  }

  /// `[journal] keep_days`: drops the journal files of older days at the start of every run, so
  /// the daemon prunes on its own schedule and the CLI on each run (docs/design.md#journal).
  static func pruneJournal(_ config: Config, _ journal: Journal) {
    let removed = JournalRetention.prune(directory: journal.directory, keepDays: config.journal.keepDays)
    guard let first = removed.first, let last = removed.last else { return }
    journal.record(
      "journal.prune",
      [
        ("keep_days", .int(Int64(config.journal.keepDays))), ("files", .int(Int64(removed.count))),
        ("oldest", .string(first)), ("newest", .string(last)),
      ])
  }

  static func makeFetcher(_ config: Config, _ output: inout JobOutput, hooks: JobHooks) -> Fetcher? {
    do {
      let shouldStop = hooks.shouldStop
      return try Fetcher.configured(
        config.fetch, spoolDirectory: StoreLayout(root: config.storage.dir).tmpDirectory,
        shouldStart: { !shouldStop() })
    } catch {
      output.stderr += "sourcekeep: \(error.message)\n"
      output.exit = .config
      return nil
    }
  }

  /// `ingest now`: read digests (all under `[digests] paths`, or `files`), register citations,
  /// capture links without a snapshot unless `capture` is false.
  public static func ingest(
    loaded: LoadedConfig, catalog: Catalog, journal: Journal, files: [String]?, capture: Bool, hooks: JobHooks
  ) async -> JobOutput {
    var output = JobOutput()
    let config = loaded.config
    pruneJournal(config, journal)
    let layout = StoreLayout(root: config.storage.dir)
    SpoolCleanup.run(layout: layout, journal: journal)
    var fetcher: Fetcher?
    var stage: CaptureStage?
    let reach = ReachTally()
    if capture {
      guard let made = makeFetcher(config, &output, hooks: hooks) else { return output }
      fetcher = made
      let runner = LinkRunner(
        mode: .capture, config: config, fetcher: made, catalog: catalog, journal: journal, layout: layout,
        configDigest: configDigest(loaded))
      stage = CaptureStage(
        runner: runner, starting: hooks.starting, progress: reach.counting(hooks.progress),
        shouldStop: hooks.shouldStop)
    }
    let summary: IngestSummary
    do {
      summary = try await IngestRun(catalog: catalog, journal: journal).run(
        paths: config.digests.paths, exclude: config.digests.exclude, files: files, capture: stage)
    } catch {
      await fetcher?.shutdown()
      output.stderr += "sourcekeep: \(error)\n"
      output.exit = .failure
      return output
    }
    // Save Page Now after the local captures, never instead of them (docs/design.md#save-page-now).
    if let fetcher, !hooks.shouldStop() {
      await SavePageNow(catalog: catalog, journal: journal, fetcher: fetcher, config: config).run(
        shouldStop: hooks.shouldStop)
    }
    await fetcher?.shutdown()
    for problem in summary.problems {
      output.stderr += "sourcekeep: warning: \(problem)\n"
    }
    output.stderr += reach.warning
    output.stdout += """
      ingest: \(summary.digestsRead) digest(s) read (\(summary.digestsNew) new, \(summary.digestsUpdated) updated, \
      \(summary.digestsUnchanged) unchanged), \(summary.problems.count) skipped
        entries \(summary.entries) · source citations \(summary.sourceCitations) · \
      mentions \(summary.mentionCitations) · links \(summary.links) (\(summary.newLinks) new)

      """
    if let c = summary.capture {
      let statuses = c.byStatus.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }
      output.stdout += """
        capture: \(c.total) link(s) without a snapshot · captured \(c.captured) · revisits \(c.revisits) · \
        failed \(c.failed) · inconclusive \(c.inconclusive) · \(ByteSize.forPeople(c.bytesWritten)) written
          by status: \(statuses.isEmpty ? "nothing to do" : statuses.joined(separator: " · "))

        """
      if c.done < c.total { output.stdout += "  stopped early: \(c.total - c.done) link(s) left for the next run\n" }
    } else {
      output.stdout += "capture: skipped (--no-capture); new links stay pending\n"
    }
    // Links without a snapshot that failed before wait for their retry: say so, or "0 without a
    // snapshot" reads as if every link were archived.
    if capture, let waiting = try? catalog.linksWaitingForCapture(), waiting.count > 0 {
      output.stdout +=
        "  waiting: \(waiting.count) link(s) without a snapshot wait for a retry after failing; the next is due "
        + "\(waiting.nextDue.map(Timestamp.forPeople) ?? "later") (a later ingest captures them)\n"
    }
    output.stdout += "  catalog \(catalog.path)\n"
    if summary.digestsRead == 0 && !summary.problems.isEmpty { output.exit = .badInput }
    let warnings = summary.problems.map { "\($0)" } + (reach.warning.isEmpty ? [] : [reach.warning])
    output.json = RunJSON.ingestSummary(summary, catalog: catalog.path, warnings: warnings, exit: output.exit)
    output.finalLine =
      "ingest: \(summary.digestsRead) digest(s), \(summary.links) link(s) (\(summary.newLinks) new)"
      + (summary.capture.map { c in
        " · captured \(c.captured) · revisits \(c.revisits) · failed \(c.failed) of \(c.total) without a snapshot"
      } ?? " · capture skipped")
    return output
  }

  /// `check now`: re-check the due links (`all`: every link; `urls`: only those).
  public static func check(
    loaded: LoadedConfig, catalog: Catalog, journal: Journal, all: Bool, urls: [String], hooks: JobHooks
  ) async -> JobOutput {
    var output = JobOutput()
    let config = loaded.config
    pruneJournal(config, journal)
    SpoolCleanup.run(layout: StoreLayout(root: config.storage.dir), journal: journal)
    guard let fetcher = makeFetcher(config, &output, hooks: hooks) else { return output }
    let runner = LinkRunner(
      mode: .check, config: config, fetcher: fetcher, catalog: catalog, journal: journal,
      layout: StoreLayout(root: config.storage.dir), configDigest: configDigest(loaded))
    let selection: CheckRun.Selection = urls.isEmpty ? (all ? .all : .due) : .urls(urls)
    let result: (counts: RunCounts, unknownURLs: [String])
    let reach = ReachTally()
    do {
      result = try await CheckRun(catalog: catalog, journal: journal).run(
        selection,
        stage: CaptureStage(
          runner: runner, starting: hooks.starting, progress: reach.counting(hooks.progress),
          shouldStop: hooks.shouldStop))
    } catch {
      await fetcher.shutdown()
      output.stderr += "sourcekeep: \(error)\n"
      output.exit = .failure
      return output
    }
    // Public archives for links that failed before sourcekeep captured them (docs/design.md#fallback).
    if !hooks.shouldStop() {
      await FallbackLookup(catalog: catalog, journal: journal, fetcher: fetcher, config: config).run(
        shouldStop: hooks.shouldStop)
    }
    await fetcher.shutdown()
    for url in result.unknownURLs {
      output.stderr +=
        "sourcekeep: warning: --url \(url): no such link in the catalog (`sourcekeep report` lists them)\n"
    }
    output.stderr += reach.warning
    let c = result.counts
    let statuses = c.byStatus.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }
    output.stdout += """
      check: \(c.done) of \(c.total) link(s) checked · new snapshots \(c.captured) · revisits \(c.revisits) · \
      same payload \(c.samePayload) · unchanged (304) \(c.unchanged) · failed \(c.failed) · inconclusive \(c.inconclusive) · state changes \(c.stateChanges)
        by status: \(statuses.isEmpty ? (urls.isEmpty ? "nothing was due" : "nothing checked") : statuses.joined(separator: " · "))

      """
    if c.total == 0 && urls.isEmpty && !all, let waiting = try? catalog.linksWaitingForCheck(), waiting.count > 0 {
      output.stdout +=
        "  next: \(waiting.count) link(s) are not due yet; the first is due "
        + "\(waiting.nextDue.map(Timestamp.forPeople) ?? "later") (`check now --all` checks them anyway)\n"
    }
    if c.done < c.total { output.stdout += "  stopped early: \(c.total - c.done) link(s) left for the next run\n" }
    if !urls.isEmpty && result.unknownURLs.count == urls.count { output.exit = .usage }
    let warnings =
      result.unknownURLs.map { "--url \($0): no such link in the catalog" }
      + (reach.warning.isEmpty ? [] : [reach.warning])
    output.json = RunJSON.checkSummary(c, unknownURLs: result.unknownURLs, warnings: warnings, exit: output.exit)
    output.finalLine =
      "check: \(c.done) of \(c.total) link(s) checked · failed \(c.failed) · state changes \(c.stateChanges)"
    return output
  }

  /// The plain progress line for one finished link (piped output, and what the daemon streams).
  public static func progressLine(_ outcome: LinkOutcome) -> String {
    var line = "\(outcome.status.rawValue)\(outcome.reason.map { "/\($0.rawValue)" } ?? "")"
    line = line.padding(toLength: max(line.count, 22), withPad: " ", startingAt: 0)
    line += " \(outcome.url)"
    if let title = outcome.title { line += "  「\(title)」" }
    if outcome.stateBefore != outcome.stateAfter {
      line += "  [\(outcome.stateBefore.rawValue) → \(outcome.stateAfter.rawValue)]"
    }
    if let detail = outcome.detail, outcome.recordType == nil { line += "  (\(detail.prefix(120)))" }
    return line
  }
}

/// Counts a run's fetches that never reached a server (the name did not resolve, or the
/// connection was refused). When every fetch of a run failed so, the machine is most likely
/// offline, not the sites gone: the run says so in one line instead of one failure per link.
final class ReachTally: Sendable {
  private let counts = Mutex((attempted: 0, unreached: 0))

  /// `progress`, counting each outcome first.
  func counting(
    _ progress: @escaping @Sendable (LinkOutcome, RunCounts) -> Void
  ) -> @Sendable (LinkOutcome, RunCounts) -> Void {
    { outcome, counts in
      self.add(outcome)
      progress(outcome, counts)
    }
  }

  func add(_ outcome: LinkOutcome) {
    // `excluded` links were never fetched (policy), so they say nothing about the network.
    guard outcome.status != .excluded else { return }
    let reason = outcome.reason.map { "\($0)" }
    let unreached = outcome.status == .unreachable && (reason == "dns" || reason == "refused")
    counts.withLock {
      $0.attempted += 1
      if unreached { $0.unreached += 1 }
    }
  }

  /// The warning line when every attempted fetch failed before reaching a server, else "".
  var warning: String {
    let (attempted, unreached) = counts.withLock { $0 }
    guard attempted > 0, unreached == attempted else { return "" }
    return "sourcekeep: warning: the network looks unreachable: all \(attempted) fetch(es) failed with DNS or "
      + "connection errors; run again when this machine is online\n"
  }
}
