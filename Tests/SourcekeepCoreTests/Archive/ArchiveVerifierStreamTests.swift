import Foundation
import Testing
import SourcekeepTestSupport
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

/// The memory `verify` needs does not grow with the file: a file whose records inflate to
/// 48 MB is walked with the peak RSS well under that (one record in memory at a time).
@Suite struct ArchiveVerifierMemoryTests {
  let dir = TempDirectory()

  static func status(_ field: String) -> Int {
    let text = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = text.split(separator: "\n").first { $0.hasPrefix(field + ":") } ?? ""
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0  // kB
  }

  @Test func verifyMemoryIsBoundedByOneRecordNotTheFile() throws {
    let layout = StoreLayout(root: dir.path)
    let builder = WARCRecordBuilder()
    let writer = WARCWriter(layout: layout, builder: builder)
    let body = [UInt8](repeating: 0x20, count: 1 << 20)
    let x = ArchivedExchange(
      targetURI: "http://127.0.0.1:8080/big", requestHead: Array("GET /big HTTP/1.1\r\n\r\n".utf8),
      responseHead: Array("HTTP/1.1 200 OK\r\nContent-Length: \(body.count)\r\n\r\n".utf8), body: body,
      remoteIP: nil, truncated: false, date: Date())
    let member = try WARCWriter.member(builder.exchange(x, warcinfoID: nil).response)
    for _ in 0..<6 { _ = try writer.appendMembers(Array(repeating: member, count: 8)) }
    // The peak from here on (writing "5" to clear_refs resets VmHWM; we run as root).
    try "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    let before = Self.status("VmRSS")
    let report = ArchiveVerifier(layout: layout).verify([])
    let peak = Self.status("VmHWM")
    #expect(report.problems.isEmpty, "\(report.problems)")
    #expect(report.recordsInFiles == 49)
    #expect(before > 0 && peak > 0)
    #expect(peak - before < 20 << 10, "verify's peak grew by \((peak - before) >> 10) MB for 48 MB of records")
  }
}
