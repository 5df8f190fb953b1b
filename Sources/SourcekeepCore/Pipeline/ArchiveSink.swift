import Foundation
import SKSystem

/// The one place that writes the archive, the catalog rows that point into it, and the
/// journal events that report it — in that order (docs/design.md#durability-order): records
/// fsynced, then the catalog transaction, then the `capture`/`check` events.
///
/// Group commit: links that finish while a batch is being written wait for the next batch,
/// so one `write` + `fsync` + one SQLite transaction serve many links. The records arrive
/// already serialised and gzipped (that work runs in parallel in the runner); the sink
/// only appends bytes. An actor on its own queue (`QueueExecutor`): its fsyncs and SQLite
/// transactions block neither libcurl's transfer thread nor the cooperative threads that
/// parse and compress.
actor ArchiveSink {
  private let executor = QueueExecutor(label: "sourcekeep.archive-sink")
  nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

  private let writer: WARCWriter
  private let catalog: Catalog
  private let journal: Journal
  private let machine: LinkStateMachine
  private let schedule: CheckSchedule
  /// The most links committed in one batch.
  private let maxBatch: Int
  /// The most record bytes in one batch (past the first link): the writer copies a batch into
  /// one buffer, so with page requisites (images of tens of KB, ten to a page) 64 links could
  /// hold ~100 MB at once; a few MB keep the group commit and bound the memory.
  private let maxBatchBytes: Int

  private var pending: [(Work, CheckedContinuation<LinkOutcome, any Error>)] = []
  private var flushing = false
  /// Texts committed since the full-text index last took its queue, and their bytes
  /// (docs/design.md#search): indexed `textBatch` at a time, or past `textBatchBytes`.
  private var queuedTexts: [Catalog.QueuedText] = []
  private var queuedTextBytes = 0
  private let textBatch = 64
  private let textBatchBytes = 4 << 20
  /// When `indexes/` was last brought up to date. Mid-run, at most once a second: each refresh
  /// rewrites the recent file whole, so one per batch cost a quadratic share of a run (1.7 % of
  /// a 2,000-page capture's CPU); every run ends with one.
  private var indexRefreshed: ContinuousClock.Instant?
  private let indexRefreshInterval = Duration.seconds(1)

  init(
    writer: WARCWriter, catalog: Catalog, journal: Journal, machine: LinkStateMachine, schedule: CheckSchedule,
    maxBatch: Int = 64, maxBatchBytes: Int = 4 << 20
  ) {
    self.maxBatchBytes = maxBatchBytes
    self.writer = writer
    self.catalog = catalog
    self.journal = journal
    self.machine = machine
    self.schedule = schedule
    self.maxBatch = maxBatch
  }

  var recoveredTails: [(file: String, bytes: Int64)] { writer.recoveredTails }

  /// One gzip member ready to append: the record's compressed bytes.
  struct Member: Sendable {
    var bytes: [UInt8]
    /// The record's index entry, made before gzip (nil: the sink reads it from `bytes`).
    var record: IndexedRecord? = nil
    /// The member, when it was compressed from a spooled body into a spool file (`bytes` is
    /// then empty; docs/design.md#spooled-bodies).
    var file: SpoolFile? = nil

    var indexEntry: IndexedRecord { record ?? IndexedRecord(member: bytes) }
    /// What the writer appends.
    var content: WARCMember { file.map { .file($0) } ?? .bytes(bytes) }
    var count: Int { file?.size ?? bytes.count }

    init(bytes: [UInt8], record: IndexedRecord? = nil) {
      self.bytes = bytes
      self.record = record
    }

    /// Moves an in-memory member of `parkedMinimum` bytes or more into a spool file in `directory`
    /// until the sink writes it (a failure to do so keeps it in memory). Page requisites: each
    /// of the links in flight held its images' members (up to ~0.5 MB a page in the requisites
    /// benchmark, 80 pages in flight) while waiting for the sink (docs/performance.md).
    mutating func park(in directory: String) {
      guard file == nil, bytes.count >= Self.parkedMinimum, let spool = try? SpoolFile.create(in: directory),
        (try? spool.append(bytes)) != nil
      else { return }
      file = spool
      bytes = []
    }

    /// Members below this stay in memory when parked: a file costs more than it saves.
    static let parkedMinimum = 16 << 10

    /// The member of `record`, streamed when its body is spooled.
    init(_ record: WARCRecord) throws(WARCFormatError) {
      switch try WARCWriter.streamedMember(record) {
      case .bytes(let b): bytes = b
      case .file(let f):
        bytes = []
        file = f
      }
      self.record = IndexedRecord(record: record)
    }
  }

  /// What one processed link asks to be written.
  struct Work: Sendable {
    var link: LinkToFetch
    var check: CheckRecord
    /// Members in file order: hop pairs, the final request, the snapshot record, metadata.
    var members: [Member]
    /// Index in `members` of the record the snapshot points at (nil: nothing archived).
    var snapshotIndex: Int?
    var snapshot: SnapshotRecord?
    /// Index in `members` of the readable rendition's `conversion` record, if one was made.
    var conversionIndex: Int? = nil
    var event: String
    var eventFields: [(String, JSONValue)]
    /// The page's requisites; their records follow the page's in the file.
    var requisites: [RequisiteWork] = []
    /// The answer repeated the archived payload and nothing is archived for it (`LinkOutcome.samePayload`).
    var samePayload = false
    /// Further journal events after the main one (e.g. `requisites.skipped`).
    var notes: [(String, [(String, JSONValue)])] = []

    /// The bytes this work appends to the archive (about: a revisit is smaller than its response).
    var byteCount: Int {
      members.reduce(0) { $0 + $1.count }
        + requisites.reduce(0) { sum, r in
          sum + r.members.reduce(0) { $0 + $1.count } + (r.response?.count ?? 0)
        }
    }
  }

  /// Journals a failure to archive or commit one link (the run goes on).
  func reportError(url: String, message: String) {
    journal.record("error", [("url", .string(url)), ("message", .string(message))])
  }

  /// Queues one link's work and returns once it is on disk, in the catalog and journaled.
  func commit(_ work: Work) async throws -> LinkOutcome {
    try await withCheckedThrowingContinuation { continuation in
      pending.append((work, continuation))
      if !flushing {
        flushing = true
        Task { await self.flushLoop() }
      }
    }
  }

  private func flushLoop() async {
    while !pending.isEmpty {
      var take = 0
      var bytes = 0
      while take < min(maxBatch, pending.count) {
        let size = pending[take].0.byteCount
        if take > 0 && bytes + size > maxBatchBytes { break }
        bytes += size
        take += 1
      }
      let batch = Array(pending.prefix(take))
      pending.removeFirst(batch.count)
      do {
        let outcomes = try flush(batch.map(\.0))
        for (item, outcome) in zip(batch, outcomes) { item.1.resume(returning: outcome) }
        // After the links are released: their window slots go to new fetches while the index
        // takes its batch.
        if queuedTexts.count >= textBatch || queuedTextBytes >= textBatchBytes { indexTexts(leftovers: false) }
      } catch {
        for item in batch { item.1.resume(throwing: error) }
      }
      // Let links that finished meanwhile join the next batch.
      await Task.yield()
    }
    flushing = false
  }

  /// Writes a batch: all members (one write, one fsync), then one catalog transaction, then
  /// the journal events.
  private func flush(_ batch: [Work]) throws -> [LinkOutcome] {
    var members: [WARCMember] = []
    var ranges: [Range<Int>] = []
    // Per work: its requisites with their record decided, and each one's payload record's
    // index within the work's members.
    var requisites: [[(requisite: Requisite, index: Int?)]] = []
    var digests = RequisiteDigests(catalog: catalog)
    // Per work: the index entry of each of its members, in file order (`archive_record`).
    var entries: [[IndexedRecord]] = []
    for work in batch where work.snapshotIndex != nil && work.snapshot != nil {
      var mine = work.members.map(\.content)
      var entry = work.members.map(\.indexEntry)
      var rows: [(requisite: Requisite, index: Int?)] = []
      for r in work.requisites {
        guard let response = r.response, let revisit = r.revisit else {
          rows.append((r.requisite, nil))
          continue
        }
        var requisite = r.requisite
        mine += r.members.map(\.content)
        entry += r.members.map(\.indexEntry)
        rows.append((requisite, mine.count))
        mine.append(try digests.payloadRecord(for: &requisite, response: response.content, revisit: revisit))
        entry.append(requisite.recordType == "revisit" ? IndexedRecord(record: revisit) : response.indexEntry)
        rows[rows.count - 1].requisite = requisite
      }
      requisites.append(rows)
      entries.append(entry)
      ranges.append(members.count..<(members.count + mine.count))
      members += mine
    }
    let locations: [WARCFile.Location]
    do {
      locations = members.isEmpty ? [] : try writer.appendMembers(members)
    } catch {
      // Nothing of this batch is reported; each link's `error` follows (LinkRunner).
      journal.record(
        "error", [("message", .string("\(error)")), ("path", .string(writer.currentFile ?? writer.directory))])
      throw error
    }
    var items: [(check: CheckRecord, snapshot: SnapshotRecord?)] = []
    var archived: [WARCFile.Location?] = []
    var bytes: [Int64] = []
    var rangeIndex = 0
    for work in batch {
      var snapshot: SnapshotRecord?
      var location: WARCFile.Location?
      var written: Int64 = 0
      if let index = work.snapshotIndex, var s = work.snapshot {
        let range = ranges[rangeIndex]
        rangeIndex += 1
        let mine = Array(locations[range])
        location = mine[index]
        s.location = mine[index]
        s.metadataOffset = mine.count > index + 1 ? mine[index + 1].offset : nil
        if let c = work.conversionIndex, c < mine.count { s.conversion = mine[c] }
        s.requisites = requisites[rangeIndex - 1].map { row in
          var r = row.requisite
          if let i = row.index { r.location = mine[i] }
          return r
        }
        s.records = zip(entries[rangeIndex - 1], mine).map { ArchivedRecord(entry: $0, location: $1) }
        snapshot = s
        written = mine.reduce(0) { $0 + $1.length }
      }
      items.append((work.check, snapshot))
      archived.append(location)
      bytes.append(written)
    }
    let schedule = self.schedule
    let changes = try catalog.recordedChecks(items, machine: machine) { memory, check, captured in
      schedule.next(after: check.checkedAt, memory: memory, linkID: check.linkID, captured: captured)
    }
    var outcomes: [LinkOutcome] = []
    for (i, work) in batch.enumerated() {
      let change = changes[i]
      let snapshot = items[i].snapshot
      var fields = work.eventFields
      if let location = archived[i] {
        fields += [
          ("warc_file", .string(location.file)), ("warc_offset", .int(location.offset)),
          ("record", .optional(snapshot?.recordType)), ("payload_digest", .optional(snapshot?.payloadDigest)),
        ]
      }
      fields.append(("state", .string(change.after.rawValue)))
      journal.record(work.event, fields)
      for (event, noteFields) in work.notes { journal.record(event, noteFields) }
      if change.before != change.after {
        journal.record(
          "state.change",
          [
            ("url", .string(work.link.url)), ("from", .string(change.before.rawValue)),
            ("to", .string(change.after.rawValue)),
          ])
      }
      outcomes.append(
        LinkOutcome(
          url: work.link.url, finalURL: work.check.finalURL, status: work.check.status, reason: work.check.reason,
          httpStatus: work.check.httpStatus, stateBefore: change.before, stateAfter: change.after,
          archived: archived[i], recordType: snapshot?.recordType, bytesWritten: bytes[i], title: snapshot?.title,
          truncated: snapshot?.truncated ?? false, attempts: work.check.attempts, elapsedMs: work.check.elapsedMs ?? 0,
          detail: work.check.detail, samePayload: work.samePayload))
    }
    if !members.isEmpty, indexRefreshed.map({ $0.duration(to: .now) >= indexRefreshInterval }) ?? true {
      refreshIndex()
    }
    for (item, change) in zip(items, changes) {
      guard let id = change.snapshot, let s = item.snapshot, s.recordType == "response", let text = s.text else {
        continue
      }
      queuedTexts.append(
        Catalog.QueuedText(snapshot: id, title: s.title ?? "", publisher: s.publisher ?? "", text: text))
      queuedTextBytes += text.utf8.count
    }
    return outcomes
  }

  /// Adds the queued texts to the full-text index (docs/design.md#search): the ones this sink
  /// holds when a batch is waiting, and with `leftovers` also the queue's other rows (a killed
  /// run's, or a batch that failed here) at the start and end of every run. A failure is
  /// journaled and leaves the texts queued; search still finds them.
  func indexTexts(leftovers: Bool = true) {
    let texts = queuedTexts
    queuedTexts = []
    queuedTextBytes = 0
    do {
      try catalog.indexTexts(texts)
      if leftovers { try catalog.indexQueuedTexts() }
    } catch {
      journal.record("error", [("message", .string("cannot update the search index: \(error)"))])
    }
  }

  /// Brings `indexes/` up to date with the batches committed so far (docs/design.md#cdxj-index).
  /// The catalog rows are the index's truth: a failure here is journaled and mended by the
  /// next batch or `sourcekeep index`, and never fails the capture.
  func refreshIndex() {
    indexRefreshed = .now
    do {
      try CDXJIndexFiles(root: writer.storeRoot).refresh(from: catalog)
    } catch {
      journal.record("error", [("message", .string("cannot update the CDXJ index: \(error)"))])
    }
  }
}

/// Decides, for each requisite a batch stores, between its `response` record and a `revisit`
/// of an identical payload already archived (docs/design.md#page-requisites): WeChat
/// articles repeat logos, QR codes and dividers. Looked up in the catalog and in the batch
/// being written (an earlier record of the same batch precedes it in the file).
struct RequisiteDigests {
  let catalog: Catalog
  private var inBatch: [String: Requisite] = [:]

  init(catalog: Catalog) { self.catalog = catalog }

  /// The gzipped payload record for `requisite`: `response` as prepared, or a `revisit`
  /// with the same record id (the page's `metadata` record already names it).
  mutating func payloadRecord(for requisite: inout Requisite, response: WARCMember, revisit: WARCRecord) throws
    -> WARCMember
  {
    guard let digest = requisite.payloadDigest, requisite.recordID != nil else { return response }
    // A catalog that cannot be read costs a duplicate payload, never a lost one.
    let original = inBatch[digest] ?? ((try? catalog.archivedPayload(digest: digest)) ?? nil)
    guard let original, let originalID = original.recordID else {
      inBatch[digest] = requisite
      return response
    }
    // The template's `WARC-Refers-To*` values are filled in; its block (the response head),
    // and so its block digest, stay as built.
    let refersTo: [String: String] = [
      "WARC-Refers-To": originalID, "WARC-Refers-To-Target-URI": original.finalURL ?? original.url,
      "WARC-Refers-To-Date": WARCRecordBuilder.date(original.fetchedAt),
    ]
    var record = revisit
    for i in record.headers.indices {
      if let value = refersTo[record.headers[i].name] { record.headers[i].value = value }
    }
    requisite.recordType = "revisit"
    return .bytes(try WARCWriter.member(record))
  }
}
