import Foundation
import Prometheus
import SourcekeepCore
import Synchronization

/// `/metrics`: the archive in Prometheus text format (docs/design.md#web-view), read fresh from the
/// catalog, the WARC folder and the journal at each scrape.
///
/// Why a new registry per scrape: every figure is the catalog's own count, not something this
/// process counted (the web view may run in `serve`, beside a daemon that does the work). What is
/// kept between scrapes is only how far the catalog's check and capture rows were counted
/// (`MetricsTally`, one per catalog file), so a scrape reads the rows added since the last one.
enum MetricsPage {
  static let tallies = Mutex<[String: MetricsTally]>([:])

  /// `sourcekeep_<metric>_<unit>` with its help line.
  static func d(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
    MetricNameDescriptor(namespace: "sourcekeep", metricName: metric, unitName: unit, helpText: help)
  }

  static func render(_ archive: WebArchive) throws -> String {
    let key = archive.layout.catalog
    var tally = tallies.withLock { $0[key] } ?? MetricsTally()
    let m = try archive.catalog.metrics(continuing: &tally)
    tallies.withLock { [tally] in $0[key] = tally }
    let registry = PrometheusCollectorRegistry()
    for state in LinkState.allCases {
      registry.makeGauge(descriptor: d("links", "", "Links by state."), labels: [("state", state.rawValue)])
        .set(Int64(m.linksByState[state] ?? 0))
    }
    for type in ["response", "revisit"] {
      registry.makeCounter(
        descriptor: d("captures", "total", "Captures archived, by WARC record type."), labels: [("record", type)]
      ).increment(by: Int64(m.capturesByType[type] ?? 0))
    }
    for status in CheckStatus.allCases {
      registry.makeCounter(descriptor: d("checks", "total", "Checks by status."), labels: [("status", status.rawValue)])
        .increment(by: Int64(m.checksByStatus[status.rawValue] ?? 0))
    }
    for f in m.failuresByReason {
      registry.makeCounter(
        descriptor: d("check_failures", "total", "Checks that did not reach the article, by status and reason."),
        labels: [("status", f.status), ("reason", f.reason)]
      ).increment(by: Int64(f.count))
    }
    registry.makeGauge(descriptor: d("digests", "", "Digests read.")).set(Int64(m.digests))
    registry.makeGauge(descriptor: d("citations", "", "Citations in all digests.")).set(Int64(m.citations))
    registry.makeGauge(descriptor: d("archive", "bytes", "Bytes of WARC files under storage.dir/warc."))
      .set(archive.archiveBytes())
    if let last = m.lastCapture.flatMap(Timestamp.parse) {
      registry.makeGauge(descriptor: d("last_capture_timestamp", "seconds", "Time of the newest capture."))
        .set(last.timeIntervalSince1970)
    }
    if let last = m.lastCheck.flatMap(Timestamp.parse) {
      registry.makeGauge(descriptor: d("last_check_timestamp", "seconds", "Time of the newest check."))
        .set(last.timeIntervalSince1970)
    }
    for run in lastRuns(JournalReader(directory: archive.layout.journalDirectory)) {
      registry.makeGauge(
        descriptor: d(
          "last_run_timestamp", "seconds", "When the last ingest or check run finished (journal run.finish)."),
        labels: [("command", run.command)]
      ).set(run.finished.timeIntervalSince1970)
      if let seconds = run.seconds {
        registry.makeGauge(
          descriptor: d("last_run_duration", "seconds", "How long the last ingest or check run took."),
          labels: [("command", run.command)]
        ).set(seconds)
      }
    }
    return registry.emitToString()
  }

  /// The newest `run.finish` of each command (`ingest`, `check`) and its duration from the
  /// `run.start` with the same `run` id, found by reading the journal backwards in 1 MiB chunks
  /// (`JournalReader.last`, as `status` does), within the last two months' files. Reading whole day
  /// files held them in memory: a day's journal of a 1,000,000-link check is hundreds of MB.
  static func lastRuns(_ journal: JournalReader) -> [(command: String, finished: Date, seconds: Double?)] {
    let since = Date().addingTimeInterval(-62 * 86400)
    var out: [(String, Date, Double?)] = []
    for command in ["check", "ingest"] {
      guard
        let finish = journal.last(
          since: since, containing: "\"event\":\"run.finish\"",
          where: { $0.event == "run.finish" && $0.value?["command"]?.stringValue == command }),
        let finished = finish.ts.flatMap(Timestamp.parse)
      else { continue }
      let run = finish.value?["run"]?.stringValue
      let start = journal.last(
        since: since, containing: "\"event\":\"run.start\"",
        where: {
          $0.event == "run.start" && $0.value?["command"]?.stringValue == command
            && $0.value?["run"]?.stringValue == run && ($0.ts ?? "") <= (finish.ts ?? "")
        })
      let started = start?.ts.flatMap(Timestamp.parse)
      out.append((command, finished, started.map { finished.timeIntervalSince($0) }))
    }
    return out
  }
}
