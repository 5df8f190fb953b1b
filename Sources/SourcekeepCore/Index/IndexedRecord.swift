import Foundation
import SKZlib

/// One archived record as the catalog remembers it (table `archive_record`): its type and, for
/// the types replay tools look up, its CDXJ key and fields (docs/design.md#cdxj-index).
///
/// Made from the record before it is gzipped (`init(record:)`), so the sink needs no second
/// read of the bytes; the location is added once the record is on disk.
public struct IndexedRecord: Sendable, Equatable {
  /// `WARC-Type`.
  public var type: String
  /// The SURT key, nil for records a replay index leaves out (request, warcinfo).
  public var surt: String?
  /// `WARC-Date` as 14 digits.
  public var timestamp: String
  /// url, mime, status, digest (the members before length, offset and filename).
  public var fields: [(String, String)]

  public static func == (a: IndexedRecord, b: IndexedRecord) -> Bool {
    a.type == b.type && a.surt == b.surt && a.timestamp == b.timestamp && a.fields.map(\.0) == b.fields.map(\.0)
      && a.fields.map(\.1) == b.fields.map(\.1)
  }

  /// The value of field `name` (url, mime, status, digest).
  public func field(_ name: String) -> String? { fields.first { $0.0 == name }?.1 }

  /// The record types an index lists: cdxj-indexer's default set (what py-wacz and pywb's
  /// WACZ tooling write). Not `request`/`warcinfo`; not `conversion` either: a readable copy
  /// under the page's own URL would be replayed in place of the page (the web view and `show`
  /// find it through the catalog).
  static let indexedTypes: Set<String> = ["response", "revisit", "resource", "metadata"]

  public init(type: String, surt: String?, timestamp: String, fields: [(String, String)]) {
    self.type = type
    self.surt = surt
    self.timestamp = timestamp
    self.fields = fields
  }

  public init(record: WARCRecord) {
    type = record.header("WARC-Type") ?? "unknown"
    let url = record.targetURI ?? ""
    timestamp = Self.timestamp(record.header("WARC-Date") ?? "")
    guard Self.indexedTypes.contains(type), !url.isEmpty else {
      surt = nil
      fields = []
      return
    }
    surt = SURT.key(url)
    var mime = Self.mediaType(record.header("Content-Type"))
    var status: String?
    if record.header("Content-Type")?.lowercased().hasPrefix("application/http") == true,
      let headEnd = firstBlankLine(in: record.block),
      let head = HTTPMessageHead(Array(record.block[..<headEnd.upperBound]))
    {
      status = head.statusCode.map(String.init)
      mime = Self.mediaType(head.value("Content-Type")) ?? "unk"
    }
    if type == "revisit" { mime = "warc/revisit" }
    var fields: [(String, String)] = [("url", url)]
    if let mime { fields.append(("mime", mime)) }
    if let status { fields.append(("status", status)) }
    if let digest = record.header("WARC-Payload-Digest") ?? record.header("WARC-Block-Digest") {
      fields.append(("digest", digest))
    }
    self.fields = fields
  }

  /// The CDXJ line of this record at `location` (`filename` is the file's name alone: pywb
  /// resolves it against the collection's archive folder, as in a WACZ's `archive/`).
  public func line(at location: WARCFile.Location) -> String? {
    guard let surt else { return nil }
    return surt + " " + timestamp + " " + json(at: location)
  }

  /// The JSON block of the line, spelled as cdxj-indexer spells it (Python's `json.dumps`:
  /// `", "` and `": "` separators, non-ASCII as `\uXXXX`), so the two indexes of the same files
  /// are byte for byte the same and sort the same.
  public func json(at location: WARCFile.Location) -> String {
    let name = location.file.split(separator: "/").last.map(String.init) ?? location.file
    guard !fields.isEmpty else {
      return "{\"length\": \"\(location.length)\", \"offset\": \"\(location.offset)\", \"filename\": "
        + Self.quoted(name) + "}"
    }
    var out = Array(jsonHead.utf8)
    Self.appendLocation(
      length: location.length, offset: location.offset, quotedName: Array(Self.quoted(name).utf8), to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// The JSON block up to its location members: `{"url": "…", …, "digest": "…"` (no closing brace).
  var jsonHead: String {
    "{" + fields.map { Self.quoted($0.0) + ": " + Self.quoted($0.1) }.joined(separator: ", ")
  }

  /// The rest of a JSON block after `jsonHead` (when there are fields):
  /// `, "length": "…", "offset": "…", "filename": "…"}`. Export writes each line as the stored
  /// line with this tail replaced, so both come from here (docs/performance.md#wacz-export).
  static func appendLocation(length: Int64, offset: Int64, quotedName: [UInt8], to out: inout [UInt8]) {
    out += #", "length": ""#.utf8
    out += String(length).utf8
    out += #"", "offset": ""#.utf8
    out += String(offset).utf8
    out += #"", "filename": "#.utf8
    out += quotedName
    out.append(0x7D)
  }

  /// A JSON string as Python's `json.dumps` (ensure_ascii) writes it.
  static func quoted(_ text: String) -> String {
    // Most values (SURT-able URLs, types, digests, numbers) need no escape: copied whole, which
    // export, writing a line per record, feels (docs/performance.md#wacz-export).
    if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) { return "\"" + text + "\"" }
    var out = "\""
    for unit in text.utf16 {
      switch unit {
      case 0x22: out += "\\\""
      case 0x5C: out += "\\\\"
      case 0x0A: out += "\\n"
      case 0x0D: out += "\\r"
      case 0x09: out += "\\t"
      case 0x08: out += "\\b"
      case 0x0C: out += "\\f"
      case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
      default: out += String(format: "\\u%04x", unit)
      }
    }
    return out + "\""
  }

  /// `2026-02-17T08:30:00Z` → `20260217083000`.
  static func timestamp(_ warcDate: String) -> String {
    let digits = warcDate.filter { $0.isASCII && $0.isNumber }
    return String((digits + "00000000000000").prefix(14))
  }

  /// `text/html; charset=utf-8` → `text/html`.
  static func mediaType(_ value: String?) -> String? {
    guard let value else { return nil }
    let type = value.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    return type.isEmpty ? nil : type
  }
}

extension IndexedRecord {
  /// The entry of a record given as its gzip member (a record some stage queued without one).
  init(member: [UInt8]) {
    guard let (bytes, _) = try? Inflater.decodeMember(member, at: 0), let record = try? WARCRecord.parse(bytes) else {
      self.init(type: "unknown", surt: nil, timestamp: "", fields: [])
      return
    }
    self.init(record: record)
  }
}
