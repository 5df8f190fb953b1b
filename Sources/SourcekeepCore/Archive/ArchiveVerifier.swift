import Foundation

/// `sourcekeep verify`: every catalog pointer leads to the record it claims, and every WARC
/// file is a clean series of gzip members.
public struct ArchiveVerifier: Sendable {
  public struct Report: Sendable {
    public var snapshotsChecked = 0
    /// Archived page-requisite rows checked (docs/design.md#page-requisites).
    public var requisitesChecked = 0
    public var filesChecked = 0
    public var recordsInFiles = 0
    /// Problems that make `verify` fail, each naming the file/offset or snapshot: the first
    /// `findingLimit` of them (a lost file would otherwise name every snapshot in it, a million
    /// strings at a million links); `problemCount` counts them all.
    public var problems: [String] = []
    /// Every problem found, listed or not.
    public var problemCount = 0
    /// Problems (and findings) kept by name, at most.
    public static let findingLimit = 10_000
    /// Problems found but not listed (past `findingLimit`).
    public var problemsNotListed: Int { problemCount - problems.count }
    /// Things worth knowing that lose nothing (a torn tail the next write will cut).
    public var warnings: [String] = []
    /// Each problem with where it is, for `verify`'s one diagnosis per place (several findings
    /// about one damaged member are one problem to a person: `VerifyDiagnosis`).
    public var findings: [Finding] = []

    /// A problem at one place of the archive: `file` (`warc/…`), `offset` (nil: the file as a
    /// whole), `subject` (the catalog row pointing there, if any), `problem` (what is wrong).
    public struct Finding: Sendable, Equatable {
      public var file: String
      public var offset: Int64?
      public var subject: String?
      public var problem: String
      /// A member that does not decode (or a file that ends inside one).
      public var damaged: Bool
      /// The damaged bytes' length; nil when they run to the end of the file.
      public var length: Int64?
    }

    /// Counts one more problem; whether it is still listed.
    mutating func listing() -> Bool {
      problemCount += 1
      return problems.count < Self.findingLimit
    }

    /// A catalog row with nothing to check.
    mutating func unpointed(_ problem: String) {
      guard listing() else { return }
      problems.append(problem)
    }

    /// A problem a catalog row's pointer leads to.
    mutating func pointer(_ subject: String, _ at: WARCFile.Location, _ problem: String) {
      guard listing() else { return }
      problems.append("\(subject) → \(at.file)@\(at.offset): \(problem)")
      findings.append(
        Finding(file: at.file, offset: at.offset, subject: subject, problem: problem, damaged: false, length: nil))
    }

    /// A problem found walking a file (`file` as `warc/NAME`).
    mutating func inFile(
      _ file: String, _ offset: Int64?, _ problem: String, damaged: Bool = false, length: Int64? = nil
    ) {
      guard listing() else { return }
      problems.append(offset.map { "\(file)@\($0): \(problem)" } ?? "\(file): \(problem)")
      findings.append(
        Finding(file: file, offset: offset, subject: nil, problem: problem, damaged: damaged, length: length))
    }
  }

  public let layout: StoreLayout
  public init(layout: StoreLayout) { self.layout = layout }

  public func verify(_ snapshots: [SnapshotPointer], requisites: [Requisite] = []) -> Report {
    var given = [snapshots]
    return verify(requisites: requisites) { given.popLast() ?? [] }
  }

  /// Verifies `requisites`, then the snapshots `nextBatch` hands over until it returns none,
  /// then every WARC file: memory holds one batch of pointers and one WARC member at a time,
  /// whatever the archive's size (docs/performance.md#scale).
  public func verify<E: Error>(
    requisites: [Requisite] = [], batches nextBatch: () throws(E) -> [SnapshotPointer]
  ) throws(E) -> Report {
    var given = [requisites]
    return try verify(requisiteBatches: { () throws(E) in given.popLast() ?? [] }, batches: nextBatch)
  }

  /// As above, with the requisites handed over in batches too (a WeChat store holds about ten
  /// images per article: ten million rows at a million links).
  public func verify<E: Error>(
    requisiteBatches nextRequisites: () throws(E) -> [Requisite], batches nextBatch: () throws(E) -> [SnapshotPointer]
  ) throws(E) -> Report {
    var report = Report()
    // The end of the last member the catalog points to, per file: damage before it is never
    // cut by the writer's torn-tail recovery (WARCWriter keeps what the catalog points to).
    var pointerEnds: [String: Int64] = [:]
    while case let requisites = try nextRequisites(), !requisites.isEmpty {
      for r in requisites {
        report.requisitesChecked += 1
        guard let location = r.location else {
          report.unpointed("requisite \(r.id) (\(r.url)) of snapshot \(r.snapshotID): archived but no WARC pointer")
          continue
        }
        let subject = "requisite \(r.id) (\(r.url)) of snapshot \(r.snapshotID)"
        note(location, pointerEnds: &pointerEnds)
        let problems = recordProblems(
          at: location, type: r.recordType ?? "response", urls: [r.url, r.finalURL ?? r.url],
          payloadDigest: r.payloadDigest ?? "")
        if problems.isEmpty, let id = r.recordID,
          let record = try? WARCFile.record(at: location, root: layout.root),
          record.recordID != id
        {
          report.pointer(subject, location, "record id \(record.recordID ?? "none") ≠ catalog \(id)")
        }
        for problem in problems { report.pointer(subject, location, problem) }
      }
    }
    while case let batch = try nextBatch(), !batch.isEmpty {
      for s in batch {
        report.snapshotsChecked += 1
        let subject = "snapshot \(s.id) (\(s.url))"
        note(s.location, pointerEnds: &pointerEnds)
        let problems = recordProblems(
          at: s.location, type: s.recordType, urls: [s.url] + (s.finalURL.map { [$0] } ?? []),
          payloadDigest: s.payloadDigest)
        for problem in problems { report.pointer(subject, s.location, problem) }
        if let conversion = s.conversion {
          note(conversion, pointerEnds: &pointerEnds)
          for problem in conversionProblems(conversion, of: s) {
            report.pointer(subject + " readable copy", conversion, problem)
          }
        }
      }
    }
    let files = WARCWriter.files(in: layout.warcDirectory)
    for (i, file) in files.enumerated() {
      report.filesChecked += 1
      let path = layout.warcDirectory + "/" + file
      // Streamed: one member in memory at a time; a damaged member is reported and the
      // walk goes on at the next member that decodes.
      var first = true
      let end = WARCFile.walk(path, resync: true) { member in
        switch member {
        case .record(let record, let offset, _):
          report.recordsInFiles += 1
          if first && record.type != .warcinfo {
            report.inFile("warc/\(file)", nil, "does not start with a warcinfo record")
          }
          for problem in Self.recordProblems(record) {
            report.inFile("warc/\(file)", offset, problem)
          }
        case .damaged(let offset, let length, let problem):
          if first { report.inFile("warc/\(file)", nil, "does not start with a warcinfo record") }
          report.inFile(
            "warc/\(file)", offset, "damaged member (\(length) bytes): \(problem)", damaged: true, length: length)
        }
        first = false
      }
      if first {
        report.inFile("warc/\(file)", nil, "does not start with a warcinfo record")
      }
      if let problem = end.problem {
        // Only the newest file's tail past every catalog pointer is cut by the next capture.
        if i == files.count - 1 && end.validEnd >= (pointerEnds["warc/" + file] ?? 0) {
          report.warnings.append(
            "warc/\(file): torn tail \(problem); nothing the catalog points to is lost, and the next capture cuts it")
        } else {
          // No length: everything from here to the end of the file is lost.
          report.inFile(
            "warc/\(file)", end.validEnd, "the file ends inside a damaged member: \(problem)", damaged: true)
        }
      }
    }
    return report
  }

  /// The snapshot's readable rendition: a `conversion` record for the same URL, whole, with a
  /// true digest, about this response (a revisit's rendition is its original response's).
  func conversionProblems(_ at: WARCFile.Location, of s: SnapshotPointer) -> [String] {
    let record: WARCRecord
    let consumed: Int
    do {
      (record, consumed) = try WARCFile.record(at: at.offset, in: layout.root + "/" + at.file, length: at.length)
    } catch {
      return ["\(error)"]
    }
    var problems: [String] = []
    if Int64(consumed) != at.length {
      problems.append("member is \(consumed) bytes, catalog says \(at.length)")
    }
    if record.type != .conversion {
      problems.append("record is \(record.type?.rawValue ?? "?"), not conversion")
    }
    let target = record.header("WARC-Refers-To-Target-URI") ?? ""
    if target != s.url && target != s.finalURL { problems.append("record is for \(target)") }
    if record.targetURI != WARCRecordBuilder.readableTargetURI(target) {
      problems.append("target URI \(record.targetURI ?? "none") is not the readable copy's")
    }
    if s.recordType == "response",
      let response = try? WARCFile.record(at: s.location, root: layout.root),
      record.header("WARC-Refers-To") != response.recordID
    {
      problems.append(
        "refers to \(record.header("WARC-Refers-To") ?? "nothing"), not \(response.recordID ?? "?")")
    }
    return problems + Self.digestProblems(record).map { "\($0)" }
  }

  /// What is wrong with the record a catalog row points at: readable, the length, type,
  /// target URI and payload digest the row says, digests that match the block.
  func recordProblems(
    at location: WARCFile.Location, type: String, urls: [String], payloadDigest: String
  ) -> [String] {
    let record: WARCRecord
    let consumed: Int
    do {
      (record, consumed) = try WARCFile.record(
        at: location.offset, in: layout.root + "/" + location.file, length: location.length)
    } catch {
      return ["\(error)"]
    }
    var problems: [String] = []
    if Int64(consumed) != location.length {
      problems.append("member is \(consumed) bytes, catalog says \(location.length)")
    }
    if record.type?.rawValue != type {
      problems.append("record is \(record.type?.rawValue ?? "?"), catalog says \(type)")
    }
    if !urls.contains(record.targetURI ?? "") {
      problems.append("record is for \(record.targetURI ?? "")")
    }
    if record.header("WARC-Payload-Digest") != payloadDigest {
      problems.append(
        "payload digest \(record.header("WARC-Payload-Digest") ?? "none") ≠ catalog \(payloadDigest)")
    }
    return problems + Self.digestProblems(record).map { "\($0)" }
  }

  /// Remembers where the member at `location` ends, per file.
  private func note(_ location: WARCFile.Location, pointerEnds: inout [String: Int64]) {
    pointerEnds[location.file] = max(pointerEnds[location.file] ?? 0, location.offset + location.length)
  }

  /// Block digest always; payload digest for response records.
  static func digestProblems(_ record: WARCRecord) -> [String] {
    var problems: [String] = []
    if let declared = record.header("WARC-Block-Digest"), declared != SHA1.warcDigest(record.block) {
      problems.append("block digest mismatch")
    }
    // A revisit's payload digest is the earlier response's payload, which it does not hold.
    if record.type == .response || record.type == .request, let declared = record.header("WARC-Payload-Digest") {
      if let end = httpHeadEnd(record.block) {
        if declared != SHA1.warcDigest(record.block[end...]) {
          problems.append("payload digest mismatch")
        }
      } else {
        problems.append("\(record.type?.rawValue ?? "") block has no HTTP header end")
      }
    }
    return problems
  }

  /// Every record of a file, whatever its type: the headers every record needs, the HTTP
  /// head of request, response and revisit blocks, and the digests that are present.
  static func recordProblems(_ record: WARCRecord) -> [String] {
    var problems: [String] = []
    guard let typeName = record.header("WARC-Type") else { return ["no WARC-Type header"] }
    guard let type = WARCRecordType(rawValue: typeName) else {
      // WARC/1.1 §6 types sourcekeep does not write yet are fine; anything else is not.
      let known = typeName == "continuation"
      return (known ? [] : ["unknown WARC-Type \"\(typeName.prefix(40))\""]) + digestProblems(record)
    }
    if record.recordID == nil { problems.append("\(type.rawValue) record without WARC-Record-ID") }
    if Timestamp.parse(record.header("WARC-Date") ?? "") == nil {
      problems.append("\(type.rawValue) record without a valid WARC-Date")
    }
    if type != .warcinfo && record.targetURI == nil {
      problems.append("\(type.rawValue) record without WARC-Target-URI")
    }
    switch type {
    case .request, .response, .revisit:
      if let end = httpHeadEnd(record.block) {
        let head = HTTPMessageHead(Array(record.block[..<end]))
        if head == nil || (type != .request && head?.statusCode == nil) {
          let line = type == .request ? "request" : "status"
          problems.append("\(type.rawValue) block does not start with an HTTP \(line) line")
        }
      } else if type != .response || record.header("WARC-Payload-Digest") == nil {
        problems.append("\(type.rawValue) block has no HTTP header end")
      }
      if type == .revisit && record.header("WARC-Refers-To") == nil
        && record.header("WARC-Refers-To-Target-URI") == nil
      {
        problems.append("revisit record without WARC-Refers-To")
      }
    case .conversion:
      // The readable rendition (docs/design.md#readable-copies): a document about one response.
      if record.header("WARC-Refers-To") == nil { problems.append("conversion record without WARC-Refers-To") }
      if let declared = record.header("WARC-Payload-Digest"), declared != SHA1.warcDigest(record.block) {
        problems.append("payload digest mismatch")
      }
    case .warcinfo, .metadata, .resource:
      break
    }
    return problems + digestProblems(record)
  }

  /// Index just past the blank line that ends an HTTP head in `block`.
  static func httpHeadEnd(_ block: [UInt8]) -> Int? {
    firstBlankLine(in: block)?.upperBound
  }
}
