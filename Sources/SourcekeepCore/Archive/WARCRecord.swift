import Foundation
public import SKSystem

/// The WARC record types sourcekeep writes (WARC/1.1 §6).
public enum WARCRecordType: String, Sendable, CaseIterable {
  case warcinfo, request, response, metadata, revisit, resource, conversion
}

/// One WARC record: named headers and a block, serialised exactly as WARC/1.1 §4 says:
/// `WARC/1.1` CRLF, headers CRLF, CRLF, block, CRLF CRLF.
///
/// The builder fixes every header; this type only holds and writes bytes (warcio keeps the
/// same split between `ArcWarcRecord` and its writer).
public struct WARCRecord: Sendable, Equatable {
  public var headers: [(name: String, value: String)]
  public var block: [UInt8]
  /// The rest of the block after `block`, when it is a spooled body (a `response` record's
  /// HTTP head is in `block`, its large body here; docs/design.md#spooled-bodies).
  public var blockFile: SpoolFile?

  public init(headers: [(name: String, value: String)], block: [UInt8], blockFile: SpoolFile? = nil) {
    self.headers = headers
    self.block = block
    self.blockFile = blockFile
  }

  public static func == (a: WARCRecord, b: WARCRecord) -> Bool {
    a.block == b.block && a.blockFile === b.blockFile && a.headers.map(\.name) == b.headers.map(\.name)
      && a.headers.map(\.value) == b.headers.map(\.value)
  }

  /// The record's head as on disk: `WARC/1.1`, the headers and the blank line.
  public var serializedHead: [UInt8] {
    var head = "WARC/1.1\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    head += "\r\n"
    return Array(head.utf8)
  }

  /// The value of the first header named `name` (case-insensitive).
  public func header(_ name: String) -> String? {
    headers.first { $0.name.equalsHeaderName(name) }?.value
  }

  public var type: WARCRecordType? { header("WARC-Type").flatMap(WARCRecordType.init(rawValue:)) }
  public var recordID: String? { header("WARC-Record-ID") }
  public var targetURI: String? { header("WARC-Target-URI") }

  /// The two CRLFs that end every record after its block (WARC 1.1, section 4).
  public static let end: [UInt8] = Array("\r\n\r\n".utf8)

  /// The record as bytes on disk (before gzip). Only for records whose block is in memory
  /// (`blockFile` nil); `WARCWriter.member` streams the others.
  public var serialized: [UInt8] {
    serializedHead + block + Self.end
  }

  /// Parses one serialised record (the inverse of `serialized`).
  /// - Throws: `WARCFormatError` naming what is wrong.
  public static func parse(_ bytes: [UInt8]) throws(WARCFormatError) -> WARCRecord {
    guard let headEnd = firstBlankLine(in: bytes) else {
      throw WARCFormatError(message: "no blank line after the WARC headers")
    }
    // Lines are split and read as bytes (CR LF, the first ':', spaces and tabs): Foundation's
    // `components(separatedBy:)` and `trimmingCharacters` were a quarter of `verify`'s CPU.
    var lines: [Range<Int>] = []
    var lineStart = 0
    var i = 0
    while i <= headEnd.lowerBound {  // through the blank line's first CR LF, which ends the last line
      if bytes[i] == 0x0D && bytes[i + 1] == 0x0A {
        lines.append(lineStart..<i)
        i += 2
        lineStart = i
      } else {
        i += 1
      }
    }
    guard let version = lines.first, bytes[version].starts(with: "WARC/".utf8) else {
      throw WARCFormatError(message: "record does not start with a WARC/ version line")
    }
    var headers: [(String, String)] = []
    headers.reserveCapacity(lines.count - 1)
    for line in lines.dropFirst() {
      guard let colon = bytes[line].firstIndex(of: UInt8(ascii: ":")) else {
        let text = String(decoding: bytes[line], as: UTF8.self)
        throw WARCFormatError(message: "malformed header line \"\(text.prefix(60))\"")
      }
      headers.append(
        (
          String(decoding: bytes[line.lowerBound..<colon], as: UTF8.self),
          headerValue(bytes[(colon + 1)..<line.upperBound])
        ))
    }
    let record = WARCRecord(headers: headers, block: [])
    guard let lengthText = record.header("Content-Length"), let length = Int(lengthText), length >= 0 else {
      throw WARCFormatError(message: "missing or invalid Content-Length")
    }
    let start = headEnd.upperBound
    // (Subtracted, not added: a damaged head's Content-Length near Int.max must not overflow.)
    guard bytes.count - start - 4 >= length else {
      throw WARCFormatError(message: "block shorter than its Content-Length \(length) (truncated record)")
    }
    guard bytes[(start + length)..<(start + length + 4)].elementsEqual(end) else {
      throw WARCFormatError(message: "block is not followed by CRLF CRLF: Content-Length \(length) is wrong")
    }
    return WARCRecord(headers: headers, block: Array(bytes[start..<(start + length)]))
  }

  /// A header's value without the spaces and tabs around it. A value that begins or ends with a
  /// byte past ASCII is trimmed by `CharacterSet.whitespaces`, as before, which also takes
  /// Unicode's spaces (U+00A0, U+3000, ...).
  static func headerValue(_ raw: ArraySlice<UInt8>) -> String {
    var value = raw
    while let first = value.first, first == 0x20 || first == 0x09 { value.removeFirst() }
    while let last = value.last, last == 0x20 || last == 0x09 { value.removeLast() }
    let text = String(decoding: value, as: UTF8.self)
    if let first = value.first, let last = value.last, first < 0x80 && last < 0x80 { return text }
    return text.trimmingCharacters(in: .whitespaces)
  }
}

/// A WARC file or record that does not follow the format.
public struct WARCFormatError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}
