import Foundation

/// `sourcekeep verify`: every catalog pointer leads to the record it claims, and every WARC
/// file is a clean series of gzip members.
public struct ArchiveVerifier: Sendable {
  public struct Report: Sendable {
    public var snapshotsChecked = 0
    public var filesChecked = 0
    public var recordsInFiles = 0
    /// Problems that make `verify` fail, each naming the file/offset or snapshot.
    public var problems: [String] = []
    /// Things worth knowing that lose nothing (a torn tail the next write will cut).
    public var warnings: [String] = []
  }

  public let layout: StoreLayout
  public init(layout: StoreLayout) { self.layout = layout }

  public func verify(_ snapshots: [SnapshotPointer]) -> Report {
    var given = [snapshots]
    return verify { given.popLast() ?? [] }
  }

  /// Verifies the snapshots `nextBatch` hands over until it returns none, then every WARC
  /// file: memory holds one batch and one WARC member at a time, whatever the archive's size
  /// (docs/performance.md#scale).
  public func verify<E: Error>(batches nextBatch: () throws(E) -> [SnapshotPointer]) throws(E) -> Report {
    var report = Report()
    while case let batch = try nextBatch(), !batch.isEmpty {
      for s in batch { check(s, into: &report) }
    }
    verifyFiles(into: &report)
    return report
  }

  /// One catalog pointer: the record is there, of the right type, URL and digests.
  private func check(_ s: SnapshotPointer, into report: inout Report) {
    report.snapshotsChecked += 1
    let path = layout.root + "/" + s.location.file
    let what = "snapshot \(s.id) (\(s.url)) → \(s.location.file)@\(s.location.offset)"
    let record: WARCRecord
    let consumed: Int
    do {
      (record, consumed) = try WARCFile.record(at: s.location.offset, in: path)
    } catch {
      report.problems.append("\(what): \(error)")
      return
    }
    if Int64(consumed) != s.location.length {
      report.problems.append("\(what): member is \(consumed) bytes, catalog says \(s.location.length)")
    }
    if record.type?.rawValue != s.recordType {
      report.problems.append("\(what): record is \(record.type?.rawValue ?? "?"), catalog says \(s.recordType)")
    }
    let target = record.targetURI ?? ""
    if target != s.url && target != s.finalURL {
      report.problems.append("\(what): record is for \(target)")
    }
    if record.header("WARC-Payload-Digest") != s.payloadDigest {
      report.problems.append(
        "\(what): payload digest \(record.header("WARC-Payload-Digest") ?? "none") ≠ catalog \(s.payloadDigest)")
    }
    report.problems.append(contentsOf: Self.digestProblems(record).map { "\(what): \($0)" })
  }

  /// Every WARC file, streamed member by member.
  private func verifyFiles(into report: inout Report) {
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
            report.problems.append("warc/\(file): does not start with a warcinfo record")
          }
          for problem in Self.recordProblems(record) {
            report.problems.append("warc/\(file)@\(offset): \(problem)")
          }
        case .damaged(let offset, let length, let problem):
          if first { report.problems.append("warc/\(file): does not start with a warcinfo record") }
          report.problems.append("warc/\(file)@\(offset): damaged member (\(length) bytes): \(problem)")
        }
        first = false
      }
      if first {
        report.problems.append("warc/\(file): does not start with a warcinfo record")
      }
      if let problem = end.problem {
        if i == files.count - 1 {
          report.warnings.append(
            "warc/\(file): torn tail \(problem); nothing the catalog points to is lost, and the next capture cuts it")
        } else {
          report.problems.append("warc/\(file): \(problem)")
        }
      }
    }
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
      let known = typeName == "conversion" || typeName == "continuation"
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
    case .warcinfo, .metadata, .resource:
      break
    }
    return problems + digestProblems(record)
  }

  /// Index just past the blank line that ends an HTTP head in `block`.
  static func httpHeadEnd(_ block: [UInt8]) -> Int? {
    block.firstRange(of: Array("\r\n\r\n".utf8))?.upperBound
  }
}
