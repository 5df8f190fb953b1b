import Foundation
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// `verify` streams each file: a damaged member in the middle of a multi-MB file is reported
/// alone, with its offset and length, and every record after it is still checked.
@Suite struct ArchiveVerifierStreamTests {
  let dir = TempDirectory()
  var layout: StoreLayout { StoreLayout(root: dir.path) }

  static func noise(_ count: Int) -> [UInt8] {
    var rng = SystemRandomNumberGenerator()
    return (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
  }

  static func exchange(_ n: Int, body: [UInt8]) -> ArchivedExchange {
    ArchivedExchange(
      targetURI: "http://127.0.0.1:8080/page\(n)",
      requestHead: Array("GET /page\(n) HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n".utf8),
      responseHead: Array("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: \(body.count)\r\n\r\n".utf8),
      body: body, remoteIP: "127.0.0.1", truncated: false, date: Date())
  }

  @Test func aCorruptMemberMidFileIsReportedAloneAndTheRestStillPass() throws {
    let builder = WARCRecordBuilder()
    let writer = WARCWriter(layout: layout, builder: builder)
    var pointers: [SnapshotPointer] = []
    var written: [(WARCRecord, WARCFile.Location)] = []
    // ~6 MB of records that do not compress: request, response, metadata, and a revisit.
    for n in 1...60 {
      let x = Self.exchange(n, body: Self.noise(100 << 10))
      let (response, request, digest) = builder.exchange(x, warcinfoID: writer.warcinfoID)
      let meta = builder.metadata(
        targetURI: "urn:sourcekeep:extract:\(x.targetURI)", refersTo: response.recordID!, date: x.date,
        json: #"{"schema":"sourcekeep.extract-metadata/1"}"#, warcinfoID: nil)
      let revisit = builder.revisit(
        x, refersTo: response.recordID!, refersToURI: x.targetURI, refersToDate: x.date, warcinfoID: nil)
      let records = [request, response, meta, revisit]
      let locations = try writer.write(records)
      written += zip(records, locations).map { ($0, $1) }
      pointers.append(
        SnapshotPointer(
          id: Int64(n), linkID: Int64(n), url: x.targetURI, finalURL: nil, capturedAt: x.date, recordType: "response",
          location: locations[1], payloadDigest: digest, recordID: response.recordID))
    }
    let file = dir.path + "/" + written[0].1.file
    let size = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber).int64Value
    #expect(size > 5 << 20)
    let clean = ArchiveVerifier(layout: layout).verify(pointers)
    #expect(clean.problems.isEmpty, "\(clean.problems)")
    #expect(clean.recordsInFiles == written.count + 1)

    // Corrupt the compressed bytes in the middle of one response member halfway through.
    let (victim, at) = written[written.count / 2 + 1]
    #expect(victim.type == .response)
    let handle = try #require(FileHandle(forUpdatingAtPath: file))
    try handle.seek(toOffset: UInt64(at.offset + at.length / 2))
    try handle.write(contentsOf: Data(repeating: 0xA5, count: 64))
    try handle.close()

    let report = ArchiveVerifier(layout: layout).verify(pointers)
    let name = at.file
    // Exactly that member: once as a damaged member of the file, once as the snapshot
    // that points at it; nothing else, and every other record was read and checked.
    #expect(report.problems.count == 2, "\(report.problems)")
    #expect(
      report.problems.contains { $0.hasPrefix("\(name)@\(at.offset): damaged member (\(at.length) bytes)") },
      "\(report.problems)")
    #expect(
      report.problems.contains { $0.hasPrefix("snapshot ") && $0.contains("@\(at.offset)") }, "\(report.problems)")
    #expect(report.recordsInFiles == written.count)
    #expect(report.warnings.isEmpty, "\(report.warnings)")
  }

  @Test func requestMetadataAndRevisitRecordsAreCheckedToo() throws {
    let builder = WARCRecordBuilder()
    let writer = WARCWriter(layout: layout, builder: builder)
    let x = Self.exchange(1, body: Array("<html>one</html>".utf8))
    let (response, request, _) = builder.exchange(x, warcinfoID: nil)
    let meta = builder.metadata(
      targetURI: "urn:sourcekeep:extract:\(x.targetURI)", refersTo: response.recordID!, date: x.date,
      json: #"{"a":1}"#, warcinfoID: nil)
    let revisit = builder.revisit(
      x, refersTo: response.recordID!, refersToURI: x.targetURI, refersToDate: x.date, warcinfoID: nil)
    // Each damaged in a way only a check of its own type sees.
    var badRequest = request
    badRequest.headers.append(("WARC-Payload-Digest", "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))
    var badMeta = meta
    badMeta.block = Array(#"{"a":2}"#.utf8)
    var badRevisit = revisit
    badRevisit.headers.removeAll { $0.name == "WARC-Refers-To" || $0.name == "WARC-Refers-To-Target-URI" }
    badRevisit.headers.removeAll { $0.name == "WARC-Date" }
    let locations = try writer.write([response, badRequest, badMeta, badRevisit])
    let report = ArchiveVerifier(layout: layout).verify([])
    let file = locations[0].file
    #expect(report.recordsInFiles == 5)
    #expect(report.problems.contains("\(file)@\(locations[1].offset): payload digest mismatch"), "\(report.problems)")
    #expect(report.problems.contains("\(file)@\(locations[2].offset): block digest mismatch"), "\(report.problems)")
    #expect(
      report.problems.contains("\(file)@\(locations[3].offset): revisit record without a valid WARC-Date"),
      "\(report.problems)")
    #expect(
      report.problems.contains("\(file)@\(locations[3].offset): revisit record without WARC-Refers-To"),
      "\(report.problems)")
    #expect(report.problems.count == 4, "\(report.problems)")
  }
}

/// The memory `verify` needs does not grow with the file: `sourcekeep verify` (its own
/// process, so other tests cannot move the figure) on a file whose records inflate to 48 MB
/// peaks within 20 MB of the same command on a one-record file.
@Suite struct ArchiveVerifierMemoryTests {
  /// A store under `root` with an empty catalog and one WARC file of `records` 1 MB records.
  static func store(_ root: String, records: Int) throws -> String {
    let layout = StoreLayout(root: root)
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    _ = try Catalog(path: layout.catalog)
    let builder = WARCRecordBuilder()
    let writer = WARCWriter(layout: layout, builder: builder)
    let body = [UInt8](repeating: 0x20, count: 1 << 20)
    let x = ArchivedExchange(
      targetURI: "http://127.0.0.1:8080/big", requestHead: Array("GET /big HTTP/1.1\r\n\r\n".utf8),
      responseHead: Array("HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\n\r\n".utf8), body: body,
      remoteIP: nil, truncated: false, date: Date())
    let member = try WARCWriter.member(builder.exchange(x, warcinfoID: nil).response)
    _ = try writer.appendMembers(Array(repeating: member, count: records))
    let config = root + "/sk.toml"
    try "[storage]\ndir = \"\(root)\"\n".write(toFile: config, atomically: true, encoding: .utf8)
    return config
  }

  /// Peak RSS (kB) of `sourcekeep verify --config config`, measured by a parent of its own.
  static func peakOfVerify(_ config: String) throws -> (kB: Int, output: String) {
    let script = """
      import resource, subprocess, sys
      r = subprocess.run(sys.argv[1:], capture_output=True, text=True)
      print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
      print(r.stdout + r.stderr)
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, CommandRunner.binary, "verify", "--config", config]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let first = out.split(separator: "\n").first?.split(separator: " ") ?? []
    guard first.count == 2, first[0] == "0", let kB = Int(first[1]) else { return (0, out) }
    return (kB, out)
  }

  @Test func verifyMemoryIsBoundedByOneRecordNotTheFile() throws {
    let dir = TempDirectory()
    let small = try Self.peakOfVerify(try Self.store(dir.path + "/small", records: 1))
    let large = try Self.peakOfVerify(try Self.store(dir.path + "/large", records: 48))
    #expect(small.kB > 0, "\(small.output)")
    #expect(large.kB > 0, "\(large.output)")
    #expect(large.output.contains("49 record(s): ok"), "\(large.output)")
    #expect(
      large.kB - small.kB < 20 << 10,
      "verify peaked at \(large.kB >> 10) MB for 48 MB of records, \(small.kB >> 10) MB for one")
  }
}

/// A lost WARC file breaks every pointer into it: `verify` lists the first problems and counts
/// the rest, so its memory does not grow with the pointers (a million at a million links), and
/// hands requisites over in pages as it does snapshots.
@Suite struct ArchiveVerifierBoundTests {
  let dir = TempDirectory()

  @Test func problemsPastTheLimitAreCountedNotListed() throws {
    let limit = ArchiveVerifier.Report.findingLimit
    let count = limit + 123
    var next = 0
    let report = ArchiveVerifier(layout: StoreLayout(root: dir.path)).verify(
      requisiteBatches: { () -> [Requisite] in [] },
      batches: { () -> [SnapshotPointer] in
        guard next < count else { return [] }
        let page = (next..<min(next + 1000, count)).map { (n: Int) -> SnapshotPointer in
          let offset = Int64(n) * 100
          return SnapshotPointer(
            id: Int64(n + 1), linkID: Int64(n + 1), url: "https://example.com/\(n)", finalURL: nil,
            capturedAt: Date(), recordType: "response",
            location: WARCFile.Location(file: "warc/lost.warc.gz", offset: offset, length: 100),
            payloadDigest: "sha1:X", recordID: nil)
        }
        next += page.count
        return page
      })
    #expect(report.snapshotsChecked == count)
    #expect(report.problemCount == count)
    #expect(report.problems.count == limit)
    #expect(report.findings.count == limit)
    #expect(report.problemsNotListed == 123)
    #expect(report.problems.first?.hasPrefix("snapshot 1 (https://example.com/0) → warc/lost.warc.gz@0") == true)
  }
}
