import ArgumentParser
import Foundation
import SourcekeepApp
import SourcekeepCore

/// `sourcekeep status [--json]`.
///
/// The daemon's part (pid, uptime, activity, progress, next runs) comes over the control
/// socket when a daemon holds the store; the store's part (counts, archive size, last runs)
/// is read here, read-only, so status works with or without a daemon and never takes the lock.
struct StatusCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status",
    abstract: "Show the daemon, link counts by state, the archive and the last runs.")

  @OptionGroup var common: CommonOptions

  @Flag(help: "Print status as JSON.")
  var json = false

  func run() async throws {
    let context = try CommandContext.load(common)
    let layout = context.layout
    let daemon = DaemonForwarding.status(layout)
    let hasCatalog = FileManager.default.fileExists(atPath: layout.catalog)
    var counts: [LinkState: Int] = [:]
    var totals = (digests: 0, entries: 0, citations: 0, links: 0)
    // The catalog file and its WAL on disk, and per link (#17: the catalog's size per link is
    // reported; `compact` reclaims what deletes freed).
    var catalogBytes: Int64 = 0
    if hasCatalog {
      let catalog = try context.readCatalog()
      counts = try catalog.linkCountsByState()
      totals = try catalog.totals()
      catalogBytes = catalog.fileSize()
    }
    let reader = JournalReader(directory: layout.journalDirectory)
    let lastIngest = Self.lastFinish(reader, command: "ingest")
    let lastCheck = Self.lastFinish(reader, command: "check")
    let archiveBytes = Self.archiveSize(layout.warcDirectory)
    let perLink = totals.links > 0 ? catalogBytes / Int64(totals.links) : nil
    if json {
      var daemonValue: [(String, JSONValue)] = [("running", .bool(daemon != nil))]
      if let d = daemon {
        daemonValue += [
          ("pid", .int(Int64(d.pid))), ("version", .string(d.version)), ("started_at", .string(d.startedAt)),
          ("uptime_s", .int(Int64(d.uptimeSeconds))), ("activity", .string(d.activity)),
          ("done", .optional(d.done)), ("total", .optional(d.total)), ("queued", .int(Int64(d.queued))),
          ("next_ingest", .optional(d.nextIngest)), ("next_check", .optional(d.nextCheck)),
          ("config", .string(d.config)),
        ]
      }
      let value = JSONValue.object([
        ("store", .string(layout.root)),
        ("catalog", hasCatalog ? .string(layout.catalog) : .null),
        ("journal", .string(layout.journalDirectory)),
        ("config", .string(context.loaded.origin.description)),
        ("daemon", .object(daemonValue)),
        (
          "totals",
          .object([
            ("digests", .int(Int64(totals.digests))), ("entries", .int(Int64(totals.entries))),
            ("citations", .int(Int64(totals.citations))), ("links", .int(Int64(totals.links))),
          ])
        ),
        ("by_state", .object(LinkState.allCases.map { ($0.rawValue, .int(Int64(counts[$0] ?? 0))) })),
        ("catalog_bytes", JSONValue.int(catalogBytes)),
        ("catalog_bytes_per_link", perLink.map(JSONValue.int) ?? .null),
        ("archive_bytes", .int(archiveBytes)),
        ("last_ingest", lastIngest?.value ?? .null),
        ("last_check", lastCheck?.value ?? .null),
        ("last_run", reader.last("run.finish")?.value ?? .null),
      ])
      print(value.pretty)
      return
    }
    print("store     \(layout.root)\(hasCatalog ? "" : " (empty: run `sourcekeep ingest now`)")")
    print("config    \(context.loaded.origin)")
    if let d = daemon {
      print(
        "daemon    running · pid \(d.pid) · up \(ProgressReporter.clock(Double(d.uptimeSeconds))) · version \(d.version)"
      )
      var activity = d.activity
      if let done = d.done, let total = d.total, total > 0 { activity += " \(done)/\(total)" }
      if d.queued > 0 { activity += " · \(d.queued) run(s) queued" }
      print("activity  " + TerminalText.clean(activity, singleLine: true))
      let next = { (time: String?) in time.map { Timestamp.forPeople($0) } ?? "-" }
      print("next      ingest \(next(d.nextIngest)) · check \(next(d.nextCheck))")
    } else {
      print("daemon    not running (start it with `sourcekeep run` or `systemctl start sourcekeep`)")
    }
    print("journal   \(layout.journalDirectory)")
    let size =
      hasCatalog
      ? " · \(ByteSize.forPeople(catalogBytes))" + (perLink.map { " (\(ByteSize.forPeople($0)) a link)" } ?? "") : ""
    print(
      "catalog   digests \(totals.digests) · entries \(totals.entries) · citations \(totals.citations) · links \(totals.links)"
        + size)
    let states = LinkState.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: " · ")
    print("links     \(states)")
    print("archive   \(ByteSize.forPeople(archiveBytes)) in \(layout.warcDirectory)")
    print("ingest    \(lastIngest.map { Self.lastRun($0) } ?? "none yet (`sourcekeep ingest now`)")")
    print("check     \(lastCheck.map { Self.lastRun($0) } ?? "none yet (`sourcekeep check now`)")")
  }

  /// A run's `run.finish` event for people: when, how many, what failed (docs/design.md#status).
  ///
  ///     2026-12-06 08:15 UTC (3 h ago) · 2 digest(s), 4 link(s) (4 new) · captured 2 of 4 · failed 1 · 11.2 KiB
  static func lastRun(_ line: JournalReader.Line, now: Date = Date()) -> String {
    guard let event = line.value else { return JournalReader.human(line) }
    func n(_ key: String) -> Int64? { event[key]?.intValue }
    var parts: [String] = []
    if let ts = line.ts, let date = Timestamp.parse(ts) {
      parts.append("\(Timestamp.forPeople(date)) (\(Timestamp.age(date, now: now)))")
    }
    if event["command"]?.stringValue == "ingest" {
      if let digests = n("digests"), let links = n("links") {
        parts.append("\(digests) digest(s), \(links) link(s) (\(n("new_links") ?? 0) new)")
      }
      if let toCapture = n("to_capture") ?? (n("done") != nil ? n("links") : nil) {
        parts.append("captured \(n("captured") ?? 0) of \(toCapture)")
      } else {
        parts.append("capture skipped")
      }
    } else if let links = n("links") {
      parts.append("checked \(n("checked") ?? n("done") ?? 0) of \(links)")
      if let changes = n("state_changes"), changes > 0 { parts.append("\(changes) state change(s)") }
    }
    if let revisits = n("revisits"), revisits > 0 { parts.append("revisits \(revisits)") }
    if let same = n("same_payload"), same > 0 { parts.append("same payload \(same)") }
    parts.append("failed \(n("failed") ?? 0)")
    if let inconclusive = n("inconclusive"), inconclusive > 0 { parts.append("inconclusive \(inconclusive)") }
    if let errors = n("errors"), errors > 0 { parts.append("\(errors) digest error(s)") }
    if let bytes = n("bytes_written"), bytes > 0 { parts.append(ByteSize.forPeople(bytes) + " written") }
    if event["abandoned"] == .bool(true) {
      parts.append("abandoned")
    } else if event["interrupted"] == .bool(true) {
      parts.append("interrupted")
    }
    if let failed = n("failed"), failed > 0 { parts.append("see `sourcekeep report`") }
    return TerminalText.clean(parts.joined(separator: " · "), singleLine: true)
  }

  /// The newest `run.finish` of `command` (ingest or check) in the last two months' journal
  /// files, read backwards (`JournalReader.last`): milliseconds whatever the journal's size.
  static func lastFinish(_ reader: JournalReader, command: String) -> JournalReader.Line? {
    reader.last(since: Date().addingTimeInterval(-62 * 86400), containing: "\"event\":\"run.finish\"") {
      $0.event == "run.finish" && $0.value?["command"]?.stringValue == command
    }
  }

  /// Bytes in the WARC folder.
  static func archiveSize(_ directory: String) -> Int64 {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.reduce(Int64(0)) { sum, name in
      let attributes = try? FileManager.default.attributesOfItem(atPath: directory + "/" + name)
      return sum + ((attributes?[.size] as? NSNumber)?.int64Value ?? 0)
    }
  }
}
