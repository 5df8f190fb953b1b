import Foundation

/// The start line and header fields of an HTTP/1.1 message, kept as the exact bytes received
/// but readable by name.
public struct HTTPMessageHead: Sendable, Equatable {
  /// `HTTP/1.1 200 OK` or `GET /path HTTP/1.1`.
  public var startLine: String
  /// Header fields in order, names as received.
  public var fields: [(name: String, value: String)]

  public static func == (a: HTTPMessageHead, b: HTTPMessageHead) -> Bool {
    a.startLine == b.startLine && a.fields.map(\.name) == b.fields.map(\.name)
      && a.fields.map(\.value) == b.fields.map(\.value)
  }

  /// Parses a head (`start-line CRLF *(field CRLF) CRLF`); tolerant of bare LF.
  public init?(_ bytes: [UInt8]) {
    // Split on LF bytes: in Swift "\r\n" is one Character, so String splitting would miss it.
    var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
      String(decoding: line.last == 0x0D ? line.dropLast() : line[...], as: UTF8.self)
    }
    while lines.last == "" { lines.removeLast() }
    guard let first = lines.first, !first.isEmpty else { return nil }
    startLine = first
    fields = []
    for line in lines.dropFirst() {
      if let c = line.firstIndex(of: ":") {
        fields.append((String(line[..<c]), line[line.index(after: c)...].trimmingCharacters(in: .whitespaces)))
      } else if let last = fields.popLast(), line.first == " " || line.first == "\t" {
        fields.append((last.name, last.value + " " + line.trimmingCharacters(in: .whitespaces)))  // obs-fold
      }
    }
  }

  public init(startLine: String, fields: [(name: String, value: String)]) {
    self.startLine = startLine
    self.fields = fields
  }

  /// The first value of `name` (case-insensitive).
  public func value(_ name: String) -> String? {
    fields.first { $0.name.equalsHeaderName(name) }?.value
  }

  /// The status code of a response head (`HTTP/1.1 404 Not Found` → 404).
  public var statusCode: Int? {
    let parts = startLine.split(separator: " ", maxSplits: 2)
    guard parts.count >= 2, parts[0].hasPrefix("HTTP/") else { return nil }
    return Int(parts[1])
  }

  /// The head as bytes, CRLF line ends, ending with the blank line.
  public var bytes: [UInt8] {
    var s = startLine + "\r\n"
    for (name, value) in fields { s += "\(name): \(value)\r\n" }
    return Array((s + "\r\n").utf8)
  }

  /// The head to archive with a de-chunked body (docs/design.md#archive): `Transfer-Encoding`
  /// is kept as `X-Archive-Orig-Transfer-Encoding` and a `Content-Length` for the stored
  /// body is set, so a replay tool reads exactly the stored bytes.
  public func forStoredBody(length: Int) -> HTTPMessageHead {
    guard value("Transfer-Encoding") != nil else { return self }
    var out: [(String, String)] = []
    for (name, value) in fields {
      if name.equalsHeaderName("Transfer-Encoding") {
        out.append(("X-Archive-Orig-Transfer-Encoding", value))
      } else if name.equalsHeaderName("Content-Length") {
        out.append(("X-Archive-Orig-Content-Length", value))
      } else {
        out.append((name, value))
      }
    }
    out.append(("Content-Length", String(length)))
    return HTTPMessageHead(startLine: startLine, fields: out)
  }
}
