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
      guard let colon = line.firstIndex(of: ":") else {
        throw WARCFormatError(message: "malformed header line \"\(line.prefix(60))\"")
      }
      headers.append(
        (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
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
}

/// A WARC file or record that does not follow the format.
public struct WARCFormatError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}
