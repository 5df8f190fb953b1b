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
    var report = Report()
    for s in snapshots {
      report.snapshotsChecked += 1
      let path = layout.root + "/" + s.location.file
      let what = "snapshot \(s.id) (\(s.url)) → \(s.location.file)@\(s.location.offset)"
      let record: WARCRecord
      let consumed: Int
      do {
        (record, consumed) = try WARCFile.record(at: s.location.offset, in: path)
      } catch {
        report.problems.append("\(what): \(error)")
        continue
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
        report.problems.append("\(what): payload digest \(record.header("WARC-Payload-Digest") ?? "none") ≠ catalog \(s.payloadDigest)")
      }
      report.problems.append(contentsOf: Self.digestProblems(record).map { "\(what): \($0)" })
    }
    let files = WARCWriter.files(in: layout.warcDirectory)
    for (i, file) in files.enumerated() {
      report.filesChecked += 1
      let path = layout.warcDirectory + "/" + file
      let scan = WARCFile.scan(path)
      report.recordsInFiles += scan.records.count
      if scan.records.first?.0.type != .warcinfo {
        report.problems.append("warc/\(file): does not start with a warcinfo record")
      }
      for (record, offset, _) in scan.records {
        for problem in Self.digestProblems(record) {
          report.problems.append("warc/\(file)@\(offset): \(problem)")
        }
      }
      if let problem = scan.problem {
        if i == files.count - 1 {
          report.warnings.append(
            "warc/\(file): torn tail \(problem); nothing the catalog points to is lost, and the next capture cuts it")
        } else {
          report.problems.append("warc/\(file): \(problem)")
        }
      }
    }
    return report
  }

  /// Block digest always; payload digest for response records.
  static func digestProblems(_ record: WARCRecord) -> [String] {
    var problems: [String] = []
    if let declared = record.header("WARC-Block-Digest"), declared != SHA1.warcDigest(record.block) {
      problems.append("block digest mismatch")
    }
    if record.type == .response, let declared = record.header("WARC-Payload-Digest") {
      let separator: [UInt8] = Array("\r\n\r\n".utf8)
      if let end = record.block.firstRange(of: separator) {
        if declared != SHA1.warcDigest(record.block[end.upperBound...]) {
          problems.append("payload digest mismatch")
        }
      } else {
        problems.append("response block has no HTTP header end")
      }
    }
    return problems
  }
}
