import Foundation
import SKZlib
import SourcekeepTestSupport
import Synchronization
import Testing

@testable import SourcekeepCore

@Suite struct WARCWriterTests {
  let dir = TempDirectory()
  var layout: StoreLayout { StoreLayout(root: dir.path) }

  static let fixedDate = Date(timeIntervalSince1970: 1_771_315_200)  // 2026-02-17T08:00:00Z

  /// Deterministic ids: <urn:uuid:00000000-0000-0000-0000-00000000000N>.
  static func fixedBuilder() -> WARCRecordBuilder {
    let counter = Counter()
    return WARCRecordBuilder(makeID: {
      let n = counter.next()
      return "<urn:uuid:00000000-0000-0000-0000-\(String(format: "%012d", n))>"
    })
  }

  final class Counter: Sendable {
    private let n = Mutex(0)
    func next() -> Int {
      n.withLock {
        $0 += 1
        return $0
      }
    }
  }

  func exchange(
    body: String, chunked: Bool = false, truncated: Bool = false, url: String = "http://127.0.0.1:8080/s/abc"
  )
    -> ArchivedExchange
  {
    let te = chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: \(body.utf8.count)\r\n"
    return ArchivedExchange(
      targetURI: url,
      requestHead: Array("GET /s/abc HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: sourcekeep-test\r\n\r\n".utf8),
      responseHead: Array("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\(te)\r\n".utf8),
      body: Array(body.utf8), remoteIP: "127.0.0.1", truncated: truncated, date: Self.fixedDate)
  }

  @Test func responseRecordIsExactByConstruction() throws {
    let builder = Self.fixedBuilder()
    let (response, request, payload) = builder.exchange(exchange(body: "<p>千问</p>"), warcinfoID: nil)
    let text = String(decoding: response.serialized, as: UTF8.self)
    let expectedBlock =
      "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 13\r\n\r\n<p>千问</p>"
    #expect(
      text == """
        WARC/1.1\r
        WARC-Type: response\r
        WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r
        WARC-Date: 2026-02-17T08:00:00Z\r
        WARC-Target-URI: http://127.0.0.1:8080/s/abc\r
        WARC-IP-Address: 127.0.0.1\r
        Content-Type: application/http;msgtype=response\r
        WARC-Payload-Digest: \(SHA1.warcDigest(Array("<p>千问</p>".utf8)))\r
        WARC-Block-Digest: \(SHA1.warcDigest(Array(expectedBlock.utf8)))\r
        Content-Length: \(expectedBlock.utf8.count)\r
        \r
        \(expectedBlock)\r
        \r

        """)
    #expect(payload == SHA1.warcDigest(Array("<p>千问</p>".utf8)))
    #expect(request.header("WARC-Concurrent-To") == response.recordID)
    #expect(try WARCRecord.parse(response.serialized) == response)
  }

  @Test func sha1AndBase32MatchKnownVectors() {
    // FIPS 180 "abc" and the empty string, base32 as warcio prints them.
    #expect(
      SHA1.digest(Array("abc".utf8)).map { String(format: "%02x", $0) }.joined()
        == "a9993e364706816aba3e25717850c26c9cd0d89d")
    #expect(SHA1.warcDigest([]) == "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ")
    var long = SHA1()
    for _ in 0..<1000 { long.update(Array("a".utf8)) }
    #expect(long.finalize() == SHA1.digest([UInt8](repeating: 0x61, count: 1000)))
    // FIPS 180 one million "a", fed in uneven pieces (partial blocks, whole blocks from the
    // input, a non-contiguous collection) so every path of `update` runs.
    let million = [UInt8](repeating: 0x61, count: 1_000_000)
    var pieces = SHA1()
    var at = 0
    for (i, size) in [1, 63, 65, 64, 127, 4096, 3].cycled(until: million.count).enumerated() {
      let end = min(at + size, million.count)
      if i % 5 == 0 { pieces.update(million[at..<end].lazy.map { $0 }) } else { pieces.update(million[at..<end]) }
      at = end
      if at == million.count { break }
    }
    #expect(at == million.count)
    #expect(pieces.finalize().map { String(format: "%02x", $0) }.joined() == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
  }

  @Test func chunkedResponsesAreStoredDechunkedWithTheOriginalHeaderKept() {
    let (response, _, payload) = Self.fixedBuilder().exchange(
      exchange(body: "hello world", chunked: true), warcinfoID: nil)
    let block = String(decoding: response.block, as: UTF8.self)
    #expect(block.contains("X-Archive-Orig-Transfer-Encoding: chunked\r\n"))
    #expect(block.contains("Content-Length: 11\r\n"))
    #expect(!block.contains("\r\nTransfer-Encoding"))
    #expect(block.hasSuffix("\r\n\r\nhello world"))
    #expect(payload == SHA1.warcDigest(Array("hello world".utf8)))
  }

  @Test func writtenFilesPassWarcioCheckAndIndex() throws {
    let writer = WARCWriter(layout: layout, builder: Self.fixedBuilder(), clock: { Self.fixedDate })
    let builder = Self.fixedBuilder()
    let first = builder.exchange(exchange(body: "<html>one</html>"), warcinfoID: nil)
    let chunked = builder.exchange(
      exchange(body: "<html>two</html>", chunked: true, url: "http://127.0.0.1:8080/two"), warcinfoID: nil)
    let cut = builder.exchange(
      exchange(body: "<html>partial", truncated: true, url: "http://127.0.0.1:8080/big"), warcinfoID: nil)
    let meta = builder.metadata(
      targetURI: "http://127.0.0.1:8080/s/abc", refersTo: first.response.recordID!, date: Self.fixedDate,
      json: #"{"title":"千问"}"#, warcinfoID: nil)
    let revisit = builder.revisit(
      exchange(body: "<html>one</html>"), refersTo: first.response.recordID!,
      refersToURI: "http://127.0.0.1:8080/s/abc",
      refersToDate: Self.fixedDate, warcinfoID: nil)
    let locations = try writer.write([
      first.request, first.response, meta, chunked.request, chunked.response, cut.request, cut.response, revisit,
    ])
    #expect(locations.count == 8)
    #expect(locations[0].file.hasPrefix("warc/sourcekeep-20260217080000-00001.warc.gz"))
    // Every location reads back as the record written there.
    let (back, _) = try WARCFile.record(at: locations[1].offset, in: dir.path + "/" + locations[1].file)
    #expect(back == first.response)
    let file = dir.path + "/" + locations[0].file
    let scan = WARCFile.scan(file)
    #expect(scan.problem == nil)
    #expect(scan.records.first?.0.type == .warcinfo)
    #expect(scan.records.count == 9)
    let check = try ExternalTool.run("warcio", ["check", "-v", file])
    #expect(check.status == 0, "warcio check: \(check.output)")
    let index = try ExternalTool.run("warcio", ["index", "-f", "warc-type,warc-target-uri,offset,length", file])
    #expect(index.status == 0, "\(index.output)")
    let lines = index.output.split(separator: "\n")
    #expect(lines.count == 9)
    // warcio's offsets are the ones the writer returned.
    for (i, location) in locations.enumerated() {
      #expect(lines[i + 1].contains("\"offset\": \"\(location.offset)\""), "record \(i): \(lines[i + 1])")
    }
  }

  @Test func aTornTailIsCutWhenTheFileIsOpenedAgain() throws {
    var writer: WARCWriter? = WARCWriter(layout: layout, clock: { Self.fixedDate })
    let good = try writer!.write([Self.fixedBuilder().exchange(exchange(body: "kept"), warcinfoID: nil).response])
    writer = nil
    let path = dir.path + "/" + good[0].file
    let sizeBefore = try FileManager.default.attributesOfItem(atPath: path)[.size] as! NSNumber
    // Simulate a crash mid-write: half a gzip member at the end.
    let half = try GzipMemberHalf.make()
    let h = try FileHandle(forUpdating: URL(fileURLWithPath: path))
    try h.seekToEnd()
    try h.write(contentsOf: Data(half))
    try h.close()
    let again = WARCWriter(layout: layout, clock: { Self.fixedDate })
    let next = try again.write([Self.fixedBuilder().exchange(exchange(body: "after"), warcinfoID: nil).response])
    #expect(next[0].file == good[0].file)
    #expect(next[0].offset == sizeBefore.int64Value)
    #expect(again.recoveredTails.first?.bytes == Int64(half.count))
    let scan = WARCFile.scan(path)
    #expect(scan.problem == nil)
    #expect(scan.records.count == 3)
    #expect(try ExternalTool.run("warcio", ["check", path]).status == 0)
  }

  /// A process killed between creating a file and completing its warcinfo leaves a file with
  /// no whole first record (empty, or half a member). Nothing in it was committed, so the next
  /// writer removes it and starts a file of its own; a file the catalog points into is kept
  /// whatever its first bytes (`verify` reports it).
  @Test(arguments: [false, true]) func aFileTornInItsWarcinfoIsRemoved(halfMember: Bool) throws {
    let first = try WARCWriter(layout: layout, clock: { Self.fixedDate })
      .write([Self.fixedBuilder().exchange(exchange(body: "kept"), warcinfoID: nil).response])
    let kept = dir.path + "/" + first[0].file
    let torn = dir.path + "/warc/" + WARCWriter.fileName(date: Self.fixedDate, sequence: 2)
    let bytes = halfMember ? try GzipMemberHalf.make() : []
    #expect(FileManager.default.createFile(atPath: torn, contents: Data(bytes)))
    let again = WARCWriter(layout: layout, clock: { Self.fixedDate })
    let next = try again.write([Self.fixedBuilder().exchange(exchange(body: "after"), warcinfoID: nil).response])
    #expect(again.recoveredTails.map(\.file) == [(torn as NSString).lastPathComponent])
    #expect(again.recoveredTails.first?.bytes == Int64(bytes.count))
    #expect(dir.path + "/" + next[0].file == torn, "the sequence number is taken again, by a whole file")
    #expect(WARCFile.scan(torn).records.first?.0.type == .warcinfo)
    #expect(try ExternalTool.run("warcio", ["check", torn]).status == 0)
    #expect(WARCFile.scan(kept).problem == nil)

    // The catalog points into it: kept as it is, for `verify` to report.
    let pointed = dir.path + "/warc/" + WARCWriter.fileName(date: Self.fixedDate, sequence: 3)
    #expect(FileManager.default.createFile(atPath: pointed, contents: Data(bytes)))
    let third = WARCWriter(
      layout: layout, clock: { Self.fixedDate }, knownEnd: { $0.hasSuffix("00003.warc.gz") ? 10 : nil })
    let last = try third.write([Self.fixedBuilder().exchange(exchange(body: "later"), warcinfoID: nil).response])
    #expect(FileManager.default.fileExists(atPath: pointed))
    #expect(last[0].file.hasSuffix("00004.warc.gz"))
  }

  @Test func filesRollOverAtTheSizeLimitWithAWarcinfoFirstInEach() throws {
    let writer = WARCWriter(layout: layout, maxFileBytes: 2_000, clock: { Self.fixedDate })
    let body = String(repeating: "随机文本 random text ", count: 200).shuffled().map(String.init).joined()
    for i in 0..<5 {
      _ = try writer.write([Self.fixedBuilder().exchange(exchange(body: body + "\(i)"), warcinfoID: nil).response])
    }
    let files = WARCWriter.files(in: layout.warcDirectory)
    #expect(files.count >= 2)
    #expect(files.map { WARCWriter.sequence(of: $0) ?? 0 } == Array(1...files.count))
    for file in files {
      let scan = WARCFile.scan(layout.warcDirectory + "/" + file)
      #expect(scan.records.first?.0.type == .warcinfo)
      #expect(try ExternalTool.run("warcio", ["check", layout.warcDirectory + "/" + file]).status == 0)
    }
  }
}

/// Half of a valid gzip member: what a crash in the middle of a write leaves behind.
enum GzipMemberHalf {
  static func make() throws -> [UInt8] {
    let record = WARCRecord(
      headers: [("WARC-Type", "resource"), ("Content-Length", "4000")], block: Array(repeating: 0x41, count: 4000))
    let member = try GzipMember.compress(record.serialized)
    return Array(member.prefix(member.count / 2))
  }
}

extension Array {
  /// The elements repeated until their running sum could reach `total` (sizes for chunking).
  fileprivate func cycled(until total: Int) -> [Element] where Element == Int {
    var out: [Int] = []
    var sum = 0
    while sum < total, !isEmpty {
      for x in self {
        out.append(x)
        sum += x
      }
    }
    return out
  }
}
