import Foundation
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// `WARCRecord.parse` reads the head as bytes; it must read every head as the Foundation-based
/// parse it replaced did (`reference` below, kept as it was): the same headers, values, block
/// and error messages, on records built to be awkward.
@Suite struct WARCRecordParseTests {
  /// The parse before it read bytes: `firstRange(of:)`, `components(separatedBy:)`, the first
  /// colon, `trimmingCharacters(in: .whitespaces)`.
  static func reference(_ bytes: [UInt8]) throws(WARCFormatError) -> WARCRecord {
    guard let headEnd = bytes.firstRange(of: Array("\r\n\r\n".utf8)) else {
      throw WARCFormatError(message: "no blank line after the WARC headers")
    }
    let head = String(decoding: bytes[..<headEnd.lowerBound], as: UTF8.self)
    var lines = head.components(separatedBy: "\r\n")
    guard let version = lines.first, version.hasPrefix("WARC/") else {
      throw WARCFormatError(message: "record does not start with a WARC/ version line")
    }
    lines.removeFirst()
    var headers: [(String, String)] = []
    for line in lines {
      // (The one change on purpose: the colon is found as a scalar, as WARC/1.1 defines the
      // head in bytes. `line.firstIndex(of: ":")` compared characters, so a colon followed by
      // a combining mark was no colon.)
      let scalars = line.unicodeScalars
      guard let colon = scalars.firstIndex(of: ":") else {
        throw WARCFormatError(message: "malformed header line \"\(line.prefix(60))\"")
      }
      headers.append(
        (
          String(scalars[..<colon]),
          String(scalars[scalars.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        ))
    }
    let record = WARCRecord(headers: headers, block: [])
    guard let lengthText = record.header("Content-Length"), let length = Int(lengthText), length >= 0 else {
      throw WARCFormatError(message: "missing or invalid Content-Length")
    }
    let start = headEnd.upperBound
    guard bytes.count >= start + length + 4 else {
      throw WARCFormatError(message: "block shorter than its Content-Length \(length) (truncated record)")
    }
    guard Array(bytes[(start + length)..<(start + length + 4)]) == Array("\r\n\r\n".utf8) else {
      throw WARCFormatError(message: "block is not followed by CRLF CRLF: Content-Length \(length) is wrong")
    }
    return WARCRecord(headers: headers, block: Array(bytes[start..<(start + length)]))
  }

  static func outcome(_ parse: ([UInt8]) throws(WARCFormatError) -> WARCRecord, _ bytes: [UInt8]) -> String {
    do {
      let record = try parse(bytes)
      return record.headers.map { "\($0.name)=[\($0.value)]" }.joined(separator: "|") + " block \(record.block)"
    } catch {
      return "error: \(error.message)"
    }
  }

  /// Pieces a head is built from: spaces of both kinds, colons, CR and LF alone, bytes that are
  /// not UTF-8, a combining mark, letters.
  static let pieces: [[UInt8]] = [
    Array(" ".utf8), Array("\t".utf8), Array(":".utf8), Array("\r".utf8), Array("\n".utf8), Array("\r\n".utf8),
    Array("\u{00A0}".utf8), Array("\u{3000}".utf8), Array("\u{2009}".utf8), [0xE4], [0xFF], [0x80],
    Array("\u{0301}".utf8), Array("a".utf8), Array("WARC-Type".utf8), Array("值".utf8), Array("x y".utf8),
  ]

  static func randomRecord(_ rng: inout SplitMix64) -> [UInt8] {
    var bytes: [UInt8] = Array((rng.next() % 8 == 0 ? "WARC /1.1" : "WARC/1.1").utf8)
    for _ in 0..<Int(rng.next() % 5) {
      bytes += Array("\r\n".utf8)
      for _ in 0..<Int(rng.next() % 7) { bytes += pieces[Int(rng.next() % UInt64(pieces.count))] }
    }
    let block = (0..<Int(rng.next() % 6)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    let declared = rng.next() % 6 == 0 ? block.count + 1 : block.count
    if rng.next() % 10 != 0 { bytes += Array("\r\nContent-Length: \(declared)".utf8) }
    bytes += Array("\r\n\r\n".utf8) + block
    if rng.next() % 10 != 0 { bytes += Array("\r\n\r\n".utf8) }
    return bytes
  }

  @Test func randomHeadsParseAsTheFoundationParseDid() {
    var rng = SplitMix64(seed: 17)
    var parsed = 0
    for _ in 0..<20_000 {
      let bytes = Self.randomRecord(&rng)
      let new = Self.outcome(WARCRecord.parse, bytes)
      #expect(new == Self.outcome(Self.reference, bytes), "\(bytes)")
      if !new.hasPrefix("error") { parsed += 1 }
    }
    // Both outcomes are exercised: whole records and every kind of refusal.
    #expect(parsed > 2_000)
  }

  @Test func handWrittenHeadsParseAsTheFoundationParseDid() throws {
    let heads = [
      "WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 0",
      "WARC/1.1\r\nA:\r\nB:  \t \r\nContent-Length: 0",
      "WARC/1.1\r\nA: \u{3000}值\u{3000}\r\nB:\u{00A0}x\r\nContent-Length: 0",
      "WARC/1.1\r\nA: x: y :\r\nContent-Length: 0",
      "WARC/1.1\r\nno colon here\r\nContent-Length: 0",
      "WARC/1.1\r\nA: x\ry\nz\r\nContent-Length: 0",
      "WARC/1.1\r\nContent-Length: -1",
      "WARC/1.1\r\nContent-Length: 3",
      "HTTP/1.1 200 OK\r\nContent-Length: 0",
      "",
    ]
    for head in heads {
      let bytes = Array((head + "\r\n\r\n\r\n\r\n").utf8)
      #expect(Self.outcome(WARCRecord.parse, bytes) == Self.outcome(Self.reference, bytes), "\(head)")
    }
    // A damaged head's length near Int.max is refused, not an overflow (the old parse trapped).
    let huge = Array("WARC/1.1\r\nContent-Length: \(Int.max)\r\n\r\nabc\r\n\r\n".utf8)
    #expect(Self.outcome(WARCRecord.parse, huge).contains("shorter than its Content-Length"))
    let written = WARCRecord(headers: [("WARC-Type", "resource"), ("Content-Length", "3")], block: [1, 2, 3])
    #expect(try WARCRecord.parse(written.serialized) == written)
  }

  @Test func theBlankLineIsFoundWhereASearchByteByByteFindsIt() {
    var rng = SplitMix64(seed: 5)
    let alphabet: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x61, 0x3A]
    for _ in 0..<20_000 {
      let bytes = (0..<Int(rng.next() % 24)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
      let start = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count + 1))
      let slow = (start..<max(start, bytes.count - 3)).first { i in
        bytes[i] == 0x0D && bytes[i + 1] == 0x0A && bytes[i + 2] == 0x0D && bytes[i + 3] == 0x0A
      }
      #expect(firstBlankLine(in: bytes, from: start) == slow.map { $0..<($0 + 4) }, "\(bytes) from \(start)")
    }
  }
}
