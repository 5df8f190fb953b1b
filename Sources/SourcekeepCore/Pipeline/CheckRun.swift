public import Foundation

/// `check now`: re-check the links that are due (or all, or the given URLs), apply the link
/// state machine, re-capture changed content, journal every check and state change.
public struct CheckRun: Sendable {
  public let catalog: Catalog
  public let journal: Journal

  public init(catalog: Catalog, journal: Journal) {
    self.catalog = catalog
    self.journal = journal
  }

  /// Which links to check.
  public enum Selection: Sendable {
    case due
    case all
    case urls([String])
  }

  /// Runs the check; `urls` are normalised the way digests are, so `--url` matches a citation
  /// however it was written.
  /// - Returns: the counts, and the `--url` values that matched no link.
  public func run(
    _ selection: Selection, stage: CaptureStage, now: Date = Date()
  ) async throws(CatalogError) -> (counts: RunCounts, unknownURLs: [String]) {
    var unknown: [String] = []
    // Only the ids are selected up front; the runner reads the links a page at a time.
    let links: [Int64]
    switch selection {
    case .due: links = try catalog.linkIDsToCheck(now: now)
    case .all: links = try catalog.linkIDsToCheck(now: now, all: true)
    case .urls(let raw):
      var wanted = Set<String>()
      for url in raw {
        if case .web(let u) = NormalizedURL.parse(url) { wanted.insert(u.string) } else { unknown.append(url) }
      }
      let found = try catalog.linksToCheck(now: now, urls: wanted)
      links = found.map(\.id)
      let foundURLs = Set(found.map(\.url))
      unknown += wanted.subtracting(foundURLs).sorted()
    }
    journal.record(
      "run.start",
      [
        ("command", "check"), ("selection", .string("\(selection)".components(separatedBy: "(").first ?? "")),
        ("links", .int(Int64(links.count))),
      ])
    stage.starting(links.count)
    let counts = await stage.runner.run(ids: links, shouldStop: stage.shouldStop, progress: stage.progress)
    journal.record(
      "run.finish",
      [
        ("command", "check"), ("links", .int(Int64(counts.total))), ("checked", .int(Int64(counts.done))),
        ("captured", .int(Int64(counts.captured))), ("revisits", .int(Int64(counts.revisits))),
        ("unchanged", .int(Int64(counts.unchanged))), ("same_payload", .int(Int64(counts.samePayload))),
        ("failed", .int(Int64(counts.failed))),
        ("inconclusive", .int(Int64(counts.inconclusive))), ("state_changes", .int(Int64(counts.stateChanges))),
        ("bytes_written", .int(counts.bytesWritten)), ("interrupted", .bool(stage.shouldStop())),
      ])
    return (counts, unknown)
  }
}
