import Foundation
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// A write that fails part-way (a full filesystem) must leave no bytes behind: later records
/// land where the writer says, `verify` passes, and every reported location reads back.
@Suite struct WARCWriteFailureTests {
  let dir = TempDirectory()
  var layout: StoreLayout { StoreLayout(root: dir.path) }

  /// Mounts a 2 MiB tmpfs on `path` (we run as root here and in CI).
  static func mountTmpfs(_ path: String) throws -> (status: Int32, output: String) {
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return try Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", path])
  }

  static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  /// A request + response pair whose body does not compress (`size` bytes of noise).
  static func pair(_ builder: WARCRecordBuilder, _ n: Int, size: Int) -> (records: [WARCRecord], digest: String) {
    var rng = SystemRandomNumberGenerator()
    let body = (0..<size).map { _ in UInt8.random(in: 0...255, using: &rng) }
    let x = ArchivedExchange(
      targetURI: "http://127.0.0.1:8080/page\(n)",
      requestHead: Array("GET /page\(n) HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n".utf8),
      responseHead: Array(
        "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: \(size)\r\n\r\n".utf8),
      body: body, remoteIP: "127.0.0.1", truncated: false, date: Date())
    let (response, request, digest) = builder.exchange(x, warcinfoID: nil)
    return ([request, response], digest)
  }

  @Test func aWriteThatFailsOnAFullFilesystemIsCutBackAndLaterOffsetsStayTrue() throws {
    let warc = layout.warcDirectory
    let mounted = try Self.mountTmpfs(warc)
    // No skip: this test needs root (as in CI); without it, it fails and says why.
    try #require(mounted.status == 0, "mount -t tmpfs failed (run the tests as root): \(mounted.output)")
    defer { _ = try? Self.run("/bin/umount", ["-l", warc]) }
    // Space the test frees after the failure, so later writes succeed in the same file.
    let filler = warc + "/filler"
    #expect(FileManager.default.createFile(atPath: filler, contents: Data(count: 600 << 10)))

    let builder = WARCRecordBuilder()
    let writer = WARCWriter(layout: layout, builder: builder)
    var pointers: [SnapshotPointer] = []
    func keep(_ locations: [WARCFile.Location], _ records: [WARCRecord], _ digest: String, _ n: Int) {
      pointers.append(
        SnapshotPointer(
          id: Int64(n), linkID: Int64(n), url: records[1].targetURI!, finalURL: nil, capturedAt: Date(),
          recordType: "response", location: locations[1], payloadDigest: digest, recordID: records[1].recordID))
    }
    var failure: (any Error)?
    var n = 0
    while failure == nil, n < 20 {
      n += 1
      let (records, digest) = Self.pair(builder, n, size: 300 << 10)
      do {
        keep(try writer.write(records), records, digest, n)
      } catch {
        failure = error
      }
    }
    let error = try #require(failure, "the 2 MiB filesystem never filled up")
    #expect("\(error)".contains("cut back to"), "\(error)")
    let file = warc + "/" + WARCWriter.files(in: warc)[0]
    // Nothing of the failed write is left: the file ends at the last good member.
    let last = try #require(pointers.last?.location)
    let size = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)
    #expect(size.int64Value == last.offset + last.length)

    // Free space; the same process goes on writing, into the same file.
    try FileManager.default.removeItem(atPath: filler)
    for _ in 0..<2 {
      n += 1
      let (records, digest) = Self.pair(builder, n, size: 200 << 10)
      keep(try writer.write(records), records, digest, n)
    }
    // A new process (a new writer) continues the file after the catalog's last record.
    let known = pointers.last!.location
    let again = WARCWriter(layout: layout, builder: builder, knownEnd: { _ in known.offset + known.length })
    n += 1
    let (records, digest) = Self.pair(builder, n, size: 100 << 10)
    keep(try again.write(records), records, digest, n)
    #expect(again.recoveredTails.isEmpty)
    #expect(Set(pointers.map(\.location.file)).count == 1)

    // Every reported location reads back as its record, with our reader and with warcio.
    for p in pointers {
      let (record, consumed) = try WARCFile.record(at: p.location.offset, in: dir.path + "/" + p.location.file)
      #expect(record.recordID == p.recordID)
      #expect(Int64(consumed) == p.location.length)
    }
    let report = ArchiveVerifier(layout: layout).verify(pointers)
    #expect(report.problems.isEmpty, "\(report.problems)")
    #expect(report.warnings.isEmpty, "\(report.warnings)")
    #expect(report.snapshotsChecked == pointers.count)
    let check = try ExternalTool.run("warcio", ["check", "-v", file])
    #expect(check.status == 0, "warcio check: \(check.output)")
    let index = try ExternalTool.run("warcio", ["index", "-f", "warc-record-id,offset", file])
    #expect(index.status == 0, "\(index.output)")
    for p in pointers {
      #expect(
        index.output.contains("\"warc-record-id\": \"\(p.recordID!)\", \"offset\": \"\(p.location.offset)\""),
        "warcio index does not list \(p.recordID!) at \(p.location.offset)")
    }
  }
}
