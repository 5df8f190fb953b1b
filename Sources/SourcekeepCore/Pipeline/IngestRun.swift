public import Foundation

/// What one `ingest now` did.
public struct IngestSummary: Sendable {
  public var digestsRead = 0
  public var digestsNew = 0
  public var digestsUpdated = 0
  public var digestsUnchanged = 0
  public var entries = 0
  public var sourceCitations = 0
  public var mentionCitations = 0
  /// Distinct links cited by the digests read.
  public var links = 0
  /// Links the catalog had never seen.
  public var newLinks = 0
  /// Files or paths that could not be read (each also journaled as `error`).
  public var problems: [DigestProblem] = []
  /// The capture stage (nil when capture did not run).
  public var capture: RunCounts?
  /// Torn WARC tails cut when the archive was opened after a crash.
  public var recoveredTails: [(file: String, bytes: Int64)] = []
}

/// What the capture stage of `ingest now` needs.
public struct CaptureStage: Sendable {
  public var runner: LinkRunner
  /// Called once per finished link.
  public var progress: @Sendable (LinkOutcome, RunCounts) -> Void
  /// Called once before the first link, with the number of links to capture.
  public var starting: @Sendable (Int) -> Void
  /// Asked before each link starts; true stops taking new work (SIGTERM).
  public var shouldStop: @Sendable () -> Bool

  public init(
    runner: LinkRunner, starting: @escaping @Sendable (Int) -> Void = { _ in },
    progress: @escaping @Sendable (LinkOutcome, RunCounts) -> Void = { _, _ in },
    shouldStop: @escaping @Sendable () -> Bool = { false }
  ) {
    self.runner = runner
    self.starting = starting
    self.progress = progress
    self.shouldStop = shouldStop
  }
}

/// `ingest now`: read digests, register citations, journal what happened, then capture the
/// links without a snapshot through the `CaptureStage` (none: new links stay `pending`).
public struct IngestRun: Sendable {
  public let catalog: Catalog
  public let journal: Journal
  public let reader: DigestReader

  public init(catalog: Catalog, journal: Journal, reader: DigestReader = DigestReader()) {
    self.catalog = catalog
    self.journal = journal
    self.reader = reader
  }

  /// Reads every digest under `paths` (or exactly `files` when given) into the catalog.
  /// A bad file is skipped with an `error` event; the others are still read.
  /// - Throws: `CatalogError` when the catalog itself fails (nothing else stops the run).
  public func run(
    paths: [String], exclude: [String] = [], files: [String]? = nil, capture: CaptureStage? = nil,
    now: Date = Date()
  ) async throws(CatalogError) -> IngestSummary {
    var summary = IngestSummary()
    journal.record("run.start", [("command", "ingest"), ("paths", .array((files ?? paths).map { .string($0) }))])
    let list: [String]
    if let files {
      list = files
    } else {
      let found = reader.discover(paths, exclude: exclude)
      list = found.files
      summary.problems.append(contentsOf: found.problems)
    }
    // The digests read (paths): their distinct links are counted by SQLite at the end.
    var readPaths: [String] = []
    for path in list {
      // The bytes are hashed before any parsing: an unchanged file is not parsed again.
      let stored = try catalog.storedDigest(path: path)
      let read: Digest?
      do {
        read = try reader.read(path, unlessHash: stored?.contentHash)
      } catch {
        summary.problems.append(error)
        continue
      }
      let registration: DigestRegistration
      let digest: (name: String, path: String, date: String)
      if let read {
        registration = try catalog.registerDigest(read, at: now)
        digest = (read.name, read.path, read.date)
        readPaths.append(read.path)
      } else if let stored {
        registration = stored.registration
        digest = (stored.name, path, stored.date)
        readPaths.append(path)
      } else {
        continue
      }
      summary.digestsRead += 1
      switch registration.change {
      case .new: summary.digestsNew += 1
      case .updated: summary.digestsUpdated += 1
      case .unchanged: summary.digestsUnchanged += 1
      }
      summary.entries += registration.entries
      summary.sourceCitations += registration.sourceCitations
      summary.mentionCitations += registration.mentionCitations
      summary.newLinks += registration.newLinks
      journal.record(
        "digest.read",
        [
          ("digest", .string(digest.name)), ("path", .string(digest.path)), ("date", .string(digest.date)),
          ("change", .string(registration.change.rawValue)), ("entries", .int(Int64(registration.entries))),
          ("citations", .int(Int64(registration.sourceCitations + registration.mentionCitations))),
          ("links", .int(Int64(registration.links))), ("new_links", .int(Int64(registration.newLinks))),
        ])
    }
    summary.links = try catalog.distinctLinks(inDigestsAt: readPaths)
    for problem in summary.problems {
      journal.record("error", [("path", .string(problem.path)), ("message", .string(problem.message))])
    }
    var captureFields: [(String, JSONValue)] = []
    if let capture {
      // `--digest X` (files given): only X's links; otherwise every link without a snapshot.
      let links =
        files == nil
        ? try catalog.linkIDsToCapture(now: Date()) : try catalog.linkIDsToCapture(now: Date(), inDigestsAt: readPaths)
      capture.starting(links.count)
      let counts = await capture.runner.run(ids: links, shouldStop: capture.shouldStop, progress: capture.progress)
      summary.capture = counts
      summary.recoveredTails = await capture.runner.recoveredTails()
      for tail in summary.recoveredTails {
        journal.record(
          "error",
          [
            ("path", .string(tail.file)),
            (
              "message",
              .string(
                "cut a torn tail of \(tail.bytes) bytes left by an interrupted write; nothing reported captured was lost"
              )
            ),
          ])
      }
      captureFields = [
        ("to_capture", .int(Int64(counts.total))), ("captured", .int(Int64(counts.captured))),
        ("revisits", .int(Int64(counts.revisits))), ("failed", .int(Int64(counts.failed))),
        ("inconclusive", .int(Int64(counts.inconclusive))), ("bytes_written", .int(counts.bytesWritten)),
        ("not_started", .int(Int64(counts.total - counts.done))),
      ]
    }
    journal.record(
      "run.finish",
      captureFields + [
        ("command", "ingest"), ("digests", .int(Int64(summary.digestsRead))),
        ("entries", .int(Int64(summary.entries))), ("source_citations", .int(Int64(summary.sourceCitations))),
        ("mention_citations", .int(Int64(summary.mentionCitations))), ("links", .int(Int64(summary.links))),
        ("new_links", .int(Int64(summary.newLinks))), ("errors", .int(Int64(summary.problems.count))),
        ("interrupted", .bool(capture?.shouldStop() ?? false)),
      ])
    return summary
  }
}
