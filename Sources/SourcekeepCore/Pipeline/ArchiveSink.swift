import Foundation

/// The one place that writes the archive, the catalog rows that point into it, and the
/// journal events that report it — in that order, per link (DESIGN.md durability order):
/// records fsynced, then the catalog transaction, then the `capture`/`check` event.
///
/// An actor, so gzip and fsync happen off the transfer loop (libcurl has its own thread)
/// and one link's three steps never interleave with another's.
actor ArchiveSink {
  private let writer: WARCWriter
  private let catalog: Catalog
  private let journal: Journal
  private let machine: LinkStateMachine
  private let schedule: CheckSchedule

  init(writer: WARCWriter, catalog: Catalog, journal: Journal, machine: LinkStateMachine, schedule: CheckSchedule) {
    self.writer = writer
    self.catalog = catalog
    self.journal = journal
    self.machine = machine
    self.schedule = schedule
  }

  var recoveredTails: [(file: String, bytes: Int64)] { writer.recoveredTails }

  /// What one processed link asks to be written.
  struct Work: Sendable {
    var link: LinkToFetch
    var check: CheckRecord
    /// Records before the final one (redirect hops' request/response pairs, the final request).
    var leadingRecords: [WARCRecord]
    /// The record the snapshot points at: a response, or a revisit (nil: nothing archived).
    var snapshotRecord: WARCRecord?
    /// Extraction metadata about the snapshot record (JSON), written after it.
    var metadataJSON: String?
    var snapshot: SnapshotRecord?
    var event: String
    var eventFields: [(String, JSONValue)]
  }

  /// Journals a failure to archive or commit one link (the run goes on).
  func reportError(url: String, message: String) {
    journal.record("error", [("url", .string(url)), ("message", .string(message))])
  }

  /// Writes, commits and journals one link's work.
  func commit(_ work: Work) throws -> LinkOutcome {
    var snapshot = work.snapshot
    var bytes: Int64 = 0
    var location: WARCFile.Location?
    if let record = work.snapshotRecord, snapshot != nil {
      var records = work.leadingRecords + [record]
      // The file (and so its warcinfo record) is only known here: stamp it now. Headers are
      // outside every digest, so nothing else changes.
      try writer.prepare()
      if let info = writer.warcinfoID {
        records = records.map { r in
          var r = r
          if r.header("WARC-Warcinfo-ID") == nil { r.headers.insert(("WARC-Warcinfo-ID", info), at: min(4, r.headers.count)) }
          return r
        }
      }
      if let json = work.metadataJSON, let id = record.recordID {
        records.append(
          WARCRecordBuilder().metadata(
            targetURI: record.targetURI ?? work.link.url, refersTo: id, date: work.check.checkedAt, json: json,
            warcinfoID: writer.warcinfoID))
      }
      let locations = try writer.write(records)
      bytes = locations.reduce(0) { $0 + $1.length }
      let index = work.leadingRecords.count
      location = locations[index]
      snapshot?.location = locations[index]
      snapshot?.metadataOffset = locations.count > index + 1 ? locations[index + 1].offset : nil
    } else {
      snapshot = nil
    }
    let hasSnapshot = snapshot != nil || work.link.lastSnapshot != nil
    let provisional = machine.next(
      work.link.memory, CheckVerdict(status: work.check.status, httpStatus: work.check.httpStatus),
      at: work.check.checkedAt)
    let nextCheck = schedule.next(
      after: work.check.checkedAt, memory: provisional, linkID: work.link.id, captured: hasSnapshot)
    let change = try catalog.recordCheck(work.check, snapshot: snapshot, machine: machine, nextCheck: nextCheck)
    var fields = work.eventFields
    if let location {
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
        [("url", .string(work.link.url)), ("from", .string(change.before.rawValue)), ("to", .string(change.after.rawValue))])
    }
    return LinkOutcome(
      url: work.link.url, finalURL: work.check.finalURL, status: work.check.status, reason: work.check.reason,
      httpStatus: work.check.httpStatus, stateBefore: change.before, stateAfter: change.after, archived: location,
      recordType: snapshot?.recordType, bytesWritten: bytes, title: snapshot?.title, truncated: snapshot?.truncated ?? false,
      attempts: work.check.attempts, elapsedMs: work.check.elapsedMs ?? 0, detail: work.check.detail)
  }
}
