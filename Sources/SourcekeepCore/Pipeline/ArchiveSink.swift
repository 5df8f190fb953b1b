import Foundation

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

  private var pending: [(Work, CheckedContinuation<LinkOutcome, any Error>)] = []
  private var flushing = false

  init(
    writer: WARCWriter, catalog: Catalog, journal: Journal, machine: LinkStateMachine, schedule: CheckSchedule,
    maxBatch: Int = 64
  ) {
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
      let batch = Array(pending.prefix(maxBatch))
      pending.removeFirst(batch.count)
      do {
        let outcomes = try flush(batch.map(\.0))
        for (item, outcome) in zip(batch, outcomes) { item.1.resume(returning: outcome) }
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
    var members: [[UInt8]] = []
    var ranges: [Range<Int>] = []
    for work in batch where work.snapshotIndex != nil && work.snapshot != nil {
      ranges.append(members.count..<(members.count + work.members.count))
      members += work.members.map(\.bytes)
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
        snapshot = s
        written = mine.reduce(0) { $0 + $1.length }
      }
      items.append((work.check, snapshot))
      archived.append(location)
      bytes.append(written)
    }
    let schedule = self.schedule
    let changes = try catalog.recordChecks(items, machine: machine) { memory, check, captured in
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
          detail: work.check.detail))
    }
    return outcomes
  }
}
