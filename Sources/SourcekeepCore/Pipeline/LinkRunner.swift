import Foundation
import Logging
import SKSystem
import SKZlib

/// Fetches links, reads their pages, classifies the outcome and hands the result to the
/// archive sink: the shared engine of `ingest now` (capture) and `check now` (re-check).
///
/// Work flows through a bounded window: at most `window` links are between "fetch
/// started" and "committed", so memory stays flat however many links there are. Parsing
/// runs on the cooperative pool, gzip and fsync in the sink actor, transfers on libcurl's
/// own thread: none of them blocks the others.
public struct LinkRunner: Sendable {
  public enum Mode: String, Sendable {
    /// First capture of links without a snapshot (journal event `capture`).
    case capture
    /// Re-check with conditional requests, drift against the first snapshot (event `check`).
    case check
  }

  public let mode: Mode
  let catalog: Catalog
  let fetcher: Fetcher
  let sink: ArchiveSink
  let references: ReferenceReader
  let extractor: PageExtractor
  let driftThreshold: Double
  /// `health.revisit_every`, in seconds.
  let revisitEvery: TimeInterval
  let window: Int
  let maxDecodedBytes: Int
  let storeRoot: String
  /// The `[capture]` caps on page requisites.
  let requisitePolicy: RequisitePolicy

  /// - Parameter requisites: the page-requisite caps; nil: those of `config.capture`.
  public init(
    mode: Mode, config: Config, fetcher: Fetcher, catalog: Catalog, journal: Journal, layout: StoreLayout,
    configDigest: String, requisites: RequisitePolicy? = nil
  ) {
    self.mode = mode
    self.catalog = catalog
    self.requisitePolicy = requisites ?? RequisitePolicy(config.capture)
    self.fetcher = fetcher
    self.references = ReferenceReader(catalog: catalog, journal: journal)
    self.extractor = PageExtractor()
    self.driftThreshold = config.health.driftThreshold
    self.revisitEvery = TimeInterval(config.health.revisitEvery.seconds)
    self.window = max(8, config.fetch.concurrency * 2)
    self.maxDecodedBytes = max(64 << 20, config.fetch.maxBodyMB << 22)
    self.storeRoot = layout.root
    let writer = WARCWriter(
      layout: layout, info: [("config-digest", configDigest)], knownEnd: { catalog.archivedEnd(of: $0) })
    self.sink = ArchiveSink(
      writer: writer, catalog: catalog, journal: journal, machine: LinkStateMachine(health: config.health),
      schedule: CheckSchedule(health: config.health))
  }

  /// Torn tails cut when the archive was opened (for the journal and the summary).
  func recoveredTails() async -> [(file: String, bytes: Int64)] { await sink.recoveredTails }

  /// Runs every link; `progress` is called once per finished link, in completion order.
  func run(
    _ links: [LinkToFetch], shouldStop: @escaping @Sendable () -> Bool = { false },
    progress: @escaping @Sendable (LinkOutcome, RunCounts) -> Void
  ) async -> RunCounts {
    var index = 0
    return await run(
      total: links.count,
      next: { () -> LinkToFetch? in
        defer { index += 1 }
        return index < links.count ? links[index] : nil
      }, shouldStop: shouldStop, progress: progress)
  }

  /// Runs the links with these ids, reading them from the catalog a page at a time as the
  /// window advances: memory holds the ids (8 bytes a link) and one page, not every link
  /// (docs/performance.md#scale).
  func run(
    ids: [Int64], shouldStop: @escaping @Sendable () -> Bool = { false },
    progress: @escaping @Sendable (LinkOutcome, RunCounts) -> Void
  ) async -> RunCounts {
    var page: [LinkToFetch] = []
    var inPage = 0
    var read = 0
    let catalog = catalog
    return await run(
      total: ids.count,
      next: { () -> LinkToFetch? in
        while inPage == page.count {
          guard read < ids.count else { return nil }
          let slice = ids[read..<min(read + 256, ids.count)]
          read += slice.count
          inPage = 0
          do {
            page = try catalog.linksToFetch(ids: Array(slice))
          } catch {
            await sink.reportError(url: "", message: "\(error)")
            page = []
            return nil
          }
        }
        defer { inPage += 1 }
        return page[inPage]
      }, shouldStop: shouldStop, progress: progress)
  }

  private func run(
    total: Int, next: () async -> LinkToFetch?, shouldStop: @escaping @Sendable () -> Bool,
    progress: @escaping @Sendable (LinkOutcome, RunCounts) -> Void
  ) async -> RunCounts {
    // Catch the indexes (CDXJ, full text) up with what an earlier run committed but did not
    // index (killed between its commit and its index write): cheap when they are current.
    await sink.refreshIndex()
    await sink.indexTexts()
    var counts = RunCounts()
    counts.total = total
    await withTaskGroup(of: LinkOutcome?.self) { group in
      func startNext() async -> Bool {
        guard !shouldStop(), let link = await next() else { return false }
        group.addTask { await self.process(link) }
        return true
      }
      for _ in 0..<min(window, total) {
        if await !startNext() { break }
      }
      var finished = 0
      while let outcome = await group.next() {
        if let outcome {
          counts.add(outcome)
          progress(outcome, counts)
        }
        // The arenas keep the pages that finished links freed; handing them back every few
        // thousand links keeps a million-link run's RSS flat (docs/performance.md#glibcs-arenas).
        finished += 1
        if finished % 4_096 == 0 { MallocArenas.trim() }
        _ = await startNext()
      }
    }
    await sink.refreshIndex()
    await sink.indexTexts()
    return counts
  }

  /// Fetch, parse, classify, then commit through the sink. Nil when the run stopped before the
  /// link was sent, or when the catalog or the archive failed (already journaled as `error`).
  func process(_ link: LinkToFetch) async -> LinkOutcome? {
    let request =
      mode == .check
      ? FetchRequest(url: link.url, etag: link.etag, lastModified: link.lastModified)
      : FetchRequest(url: link.url)
    let result = await fetcher.fetch(request)
    // The run stopped before this link's request went out: nothing to record.
    if result.notStarted { return nil }
    // Read here, per link, so only the links in the window hold their reference text.
    let reference = mode == .check ? await references.text(for: link) : nil
    let evaluation = CheckEvaluation(
      result, extractor: extractor, referenceText: reference, driftThreshold: driftThreshold,
      maxDecodedBytes: maxDecodedBytes)
    // Page requisites: after an article capture (ok/redirected, HTML), its images
    // (docs/design.md#page-requisites). Their failures never fail the page.
    var requisites: [RequisiteWork] = []
    let status = evaluation.classification.status
    // The archived payload again, inside `revisit_every`: nothing to archive, so its images are
    // not looked at either (docs/design.md#revisits-on-re-check).
    let repeated = repeatedPayload(link, result, status: status)
    if repeated == nil, requisitePolicy.enabled, status == .ok || status == .redirected, let page = evaluation.page,
      !page.requisites.isEmpty, let final = result.exchange, final.httpStatus != 304
    {
      requisites = await captureRequisites(page.requisites, pageURL: result.finalURL, link: link.id)
    }
    let work = prepare(link, result, evaluation: evaluation, requisites: requisites, repeated: repeated)
    do {
      return try await sink.commit(work)
    } catch {
      await sink.reportError(url: link.url, message: "\(error)")
      return nil
    }
  }

  /// Everything between the fetch and the sink: pure CPU work.
  func prepare(_ link: LinkToFetch, _ result: FetchResult, referenceText: String? = nil) -> ArchiveSink.Work {
    let evaluation = CheckEvaluation(
      result, extractor: extractor, referenceText: referenceText,
      driftThreshold: driftThreshold, maxDecodedBytes: maxDecodedBytes)
    return prepare(
      link, result, evaluation: evaluation,
      repeated: repeatedPayload(link, result, status: evaluation.classification.status))
  }

  /// The statuses whose answer is archived: a reachable page with content.
  static let archivedStatuses: Set<CheckStatus> = [.ok, .redirected, .drifted]

  /// The payload digest of a re-check's answer when it repeats the link's newest response and
  /// the link's newest snapshot is a `revisit` of it younger than `health.revisit_every`: such
  /// an answer is recorded by its check row alone (docs/design.md#revisits-on-re-check). Nil
  /// otherwise (capture mode, nothing archivable, another payload or URL, no revisit since the
  /// last response, or the last revisit old enough for a new one), and then `prepare` archives.
  func repeatedPayload(_ link: LinkToFetch, _ result: FetchResult, status: CheckStatus) -> String? {
    guard mode == .check, Self.archivedStatuses.contains(status), let final = result.exchange,
      final.httpStatus != 304, let last = link.lastSnapshot, let revisited = link.lastRevisitAt,
      (last.finalURL ?? last.url) == result.finalURL,
      final.startedAt.timeIntervalSince(revisited) < revisitEvery
    else { return nil }
    let digest = WARCRecordBuilder.payloadDigest(Self.archived(final))
    return digest == last.payloadDigest ? digest : nil
  }

  /// `prepare` with the page already read, and the page's requisites already fetched.
  /// - Parameter repeated: `repeatedPayload`'s answer: the check row keeps it, nothing is archived.
  func prepare(
    _ link: LinkToFetch, _ result: FetchResult, evaluation: CheckEvaluation, requisites: [RequisiteWork] = [],
    repeated: String? = nil
  ) -> ArchiveSink.Work {
    let now = Date()
    let exchange = result.exchange
    let page = evaluation.page
    let classification = evaluation.classification
    var detail = evaluation.readProblem ?? result.errorMessage
    if let evidence = classification.evidence { detail = evidence }
    let check = CheckRecord(
      linkID: link.id, checkedAt: now, status: classification.status, reason: classification.reason,
      httpStatus: result.httpStatus, finalURL: result.finalURL, elapsedMs: Int(result.elapsedMs),
      attempts: result.attempts.count, detail: detail, etag: result.validators.etag,
      lastModified: result.validators.lastModified)
    var fields: [(String, JSONValue)] = [
      ("url", .string(link.url)), ("status", .string(classification.status.rawValue)),
      ("reason", .optional(classification.reason?.rawValue)), ("http_status", .optional(result.httpStatus)),
      ("final_url", .string(result.finalURL)), ("attempts", .int(Int64(result.attempts.count))),
      ("elapsed_ms", .int(Int64(result.elapsedMs))),
    ]
    if let similarity = classification.similarity {
      fields.append(("similarity", .double((similarity * 1000).rounded() / 1000)))
    }
    if let detail { fields.append(("detail", .string(detail))) }
    if !requisites.isEmpty { fields.append(("requisites", Self.requisiteCounts(requisites))) }
    var work = ArchiveSink.Work(
      link: link, check: check, members: [], snapshotIndex: nil, snapshot: nil,
      event: mode == .capture ? "capture" : "check", eventFields: fields)

    // Archive what preserves the article: a reachable page with content, not a 304.
    guard Self.archivedStatuses.contains(classification.status), let final = exchange, final.httpStatus != 304 else {
      return work
    }
    if let repeated {
      work.check.payloadDigest = repeated
      work.samePayload = true
      work.eventFields.append(("payload_digest", .string(repeated)))
      return work
    }
    let builder = WARCRecordBuilder()
    var records = Self.redirectHopRecords(result, builder: builder)
    let archived = Self.archived(final)
    let pair = builder.exchange(archived, warcinfoID: nil)
    work.check.payloadDigest = pair.payloadDigest
    records.append(pair.request)
    var recordType = "response"
    var record = pair.response
    if let last = link.lastSnapshot, last.payloadDigest == pair.payloadDigest,
      (last.finalURL ?? last.url) == result.finalURL,
      let original = try? WARCFile.record(at: last.location, root: storeRoot).recordID
    {
      record = builder.revisit(
        archived, refersTo: original, refersToURI: last.finalURL ?? last.url, refersToDate: last.capturedAt,
        warcinfoID: nil)
      recordType = "revisit"
    }
    work.snapshotIndex = records.count
    records.append(record)
    if let page, let id = record.recordID {
      records.append(
        builder.metadata(
          targetURI: "urn:sourcekeep:extract:" + (record.targetURI ?? link.url), refersTo: id, date: now,
          json: Self.metadataJSON(page, classification: classification, requisites: requisites), warcinfoID: nil))
      // The readable rendition (docs/design.md#readable-copies); a revisit keeps pointing at
      // the one made with the payload it repeats.
      if recordType == "response" {
        work.conversionIndex = records.count
        records.append(Self.conversion(page, builder: builder, response: record, capturedAt: final.startedAt, now: now))
      }
    }
    // Serialise and gzip here, in parallel across links; the sink only appends bytes.
    do {
      work.members = try records.map { record throws(WARCFormatError) in try ArchiveSink.Member(record) }
    } catch {
      work.snapshotIndex = nil
      work.check.detail = "could not compress the records: \(error)"
      return work
    }
    work.snapshot = SnapshotRecord(
      capturedAt: final.startedAt, status: classification.status, httpStatus: final.httpStatus,
      finalURL: result.finalURL, recordType: recordType,
      location: WARCFile.Location(file: "", offset: 0, length: 0), metadataOffset: nil,
      payloadDigest: pair.payloadDigest, title: page?.title, publisher: page?.publisher, author: page?.author,
      published: page?.published, truncated: final.truncated, text: page?.text)
    // Compressed here, in parallel, rather than inside the sink's one serial transaction.
    if recordType == "response", let text = page?.text { work.snapshot?.textBlob = try? SnapshotBody.encode(text) }
    work.requisites = requisites
    let skipped = requisites.filter { $0.requisite.status == .skipped }
    if let first = skipped.first {
      // Once per page, however many were skipped (docs/design.md#page-requisites).
      work.notes.append(
        (
          "requisites.skipped",
          [
            ("url", .string(link.url)), ("skipped", .int(Int64(skipped.count))),
            ("total", .int(Int64(requisites.count))), ("cap", .optional(first.requisite.reason)),
          ]
        ))
    }
    return work
  }

  /// The extraction facts for the WARC `metadata` record: the Extract contract fields
  /// except `text` and `links`, which the archived response reproduces byte for byte (run
  /// `sourcekeep extract` on it) and which would otherwise double the archive's size; their
  /// length is kept so a re-extraction can be checked. The text itself is in the catalog's
  /// full-text index.
  static func metadataJSON(_ page: PageFacts, classification: Classification, requisites: [RequisiteWork] = [])
    -> String
  {
    var members: [(String, JSONValue)] = [
      ("schema", "sourcekeep.extract-metadata/1"),
      ("status", .string(classification.status.rawValue)),
      ("url", .optional(page.url)), ("canonical_url", .optional(page.canonicalURL)),
      ("title", .optional(page.title)), ("site_name", .optional(page.siteName)),
      ("publisher", .optional(page.publisher)), ("author", .optional(page.author)),
      ("published", .optional(page.published)), ("language", .optional(page.language)),
      ("description", .optional(page.description)), ("charset", .string(page.charset)),
      ("images", .array(page.images.map { .string($0) })),
      ("text_length", .int(Int64(page.text.scalarCount))),
      ("links_count", .int(Int64(page.links.count))),
      (
        "soft404",
        page.soft404.map { .object([("reason", .string($0.reason.rawValue)), ("evidence", .string($0.evidence))]) }
          ?? .null
      ),
      ("blocked", .bool(page.blocked)),
    ]
    if let similarity = classification.similarity { members.append(("similarity", .double(similarity))) }
    if !requisites.isEmpty { members.append(("requisites", requisitesJSON(requisites))) }
    return JSONValue.object(members).compact
  }

  /// The `conversion` record holding the page's readable rendition.
  static func conversion(
    _ page: PageFacts, builder: WARCRecordBuilder, response: WARCRecord, capturedAt: Date, now: Date
  ) -> WARCRecord {
    let url = response.targetURI ?? page.url ?? ""
    let html = ReadableRendition.html(facts: page, url: url, capturedAt: capturedAt)
    return builder.conversion(
      pageURL: url, refersTo: response.recordID ?? "", date: now, html: Array(html.utf8), warcinfoID: nil)
  }

  /// The request and response records of every redirect hop before the final response (the
  /// final exchange is the caller's: a page may become a revisit, an image too large).
  static func redirectHopRecords(_ result: FetchResult, builder: WARCRecordBuilder) -> [WARCRecord] {
    result.finalAttempt.exchanges.dropLast().flatMap { hop in
      let pair = builder.exchange(archived(hop), warcinfoID: nil)
      return [pair.request, pair.response]
    }
  }

  static func archived(_ x: Exchange) -> ArchivedExchange {
    ArchivedExchange(
      targetURI: x.url, requestHead: x.requestHeader, responseHead: x.responseHeader, body: x.body,
      remoteIP: x.remoteIP, truncated: x.truncated, date: x.startedAt, bodyFile: x.spool)
  }

}

/// The runner's catalog reads (a check's drift reference): a blocking SQLite read, so on its
/// own queue (`QueueExecutor`), not on the cooperative threads that parse and compress.
actor ReferenceReader {
  private let executor = QueueExecutor(label: "sourcekeep.reference-reader")
  nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

  private let catalog: Catalog
  private let journal: Journal

  init(catalog: Catalog, journal: Journal) {
    self.catalog = catalog
    self.journal = journal
  }

  /// The newest archived record of each requisite URL (a re-capture reuses them). A catalog
  /// that cannot be read is journaled and the requisites are fetched again.
  func archivedRequisites(urls: [String], link: Int64) -> [String: Requisite] {
    do {
      return try catalog.archivedRequisites(urls: urls, link: link)
    } catch {
      journal.record(
        "error", [("message", .string("cannot read archived requisites: \(error); fetching them again"))])
      return [:]
    }
  }

  /// The text of the link's first snapshot, nil when it has none. A catalog that cannot be
  /// read is journaled as `error` and the check goes on without a drift comparison.
  func text(for link: LinkToFetch) -> String? {
    do {
      return try catalog.referenceText(for: link)
    } catch {
      journal.record(
        "error",
        [
          ("url", .string(link.url)),
          ("message", .string("cannot read the drift reference text: \(error); checked without a drift comparison")),
        ])
      return nil
    }
  }
}
