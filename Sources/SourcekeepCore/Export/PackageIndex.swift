import Foundation

/// A WACZ's `indexes/index.cdxj` while it is built: every line in one byte buffer, sorted by
/// reference (docs/performance.md#wacz-export).
///
/// A record's line in the package is its line in the store's index with the location moved:
/// the catalog stores the JSON block for the record's place in the store (`cdx_json`), and the
/// package keeps the file's name and the record's length, so only the offset differs. The
/// stored block is reused up to its location members when it ends exactly as
/// `IndexedRecord.appendLocation` writes them for the stored place; anything else (a block
/// spelled another way) is read back with `CDXJFields` and written anew. One buffer, not a
/// string per line: export builds a line per record, and a string each, sorted as strings,
/// was a fifth of an export's CPU on a store of small articles.
struct PackageIndex {
  private var bytes: [UInt8] = []
  /// Each line's start and length in `bytes`.
  private var lines: [(start: Int, count: Int)] = []
  private var expected: [UInt8] = []
  /// The package file the last line was in, and its name as a JSON string.
  private var file = ""
  private var quotedFile: [UInt8] = []

  /// The index's size in bytes, a newline after each line.
  var size: Int { bytes.count + lines.count }

  /// Adds the line of `record` placed at `offset` in the package file named `file` (under
  /// `archive/`).
  /// - Returns: the record's URL when the index lists it.
  mutating func add(_ record: ExportRecord, at offset: Int64, in file: String) -> String? {
    guard let surt = record.surt, var json = record.json else { return nil }
    if file != self.file {
      self.file = file
      quotedFile = Array(IndexedRecord.quoted(file).utf8)
    }
    let quotedName = quotedFile
    let start = bytes.count
    bytes += surt.utf8
    bytes.append(0x20)
    bytes += record.timestamp.utf8
    bytes.append(0x20)
    expected.removeAll(keepingCapacity: true)
    IndexedRecord.appendLocation(length: record.length, offset: record.offset, quotedName: quotedName, to: &expected)
    // The stored block's bytes in place (one copy of the part kept, none to compare).
    let reused = json.withUTF8 { stored -> Bool in
      let head = stored.count - expected.count
      guard head > 0, stored.starts(with: #"{"url": ""#.utf8), stored[head...].elementsEqual(expected) else {
        return false
      }
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: stored[..<head]))
      return true
    }
    let url: String?
    if reused {
      IndexedRecord.appendLocation(length: record.length, offset: offset, quotedName: quotedName, to: &bytes)
      url = Self.leadingURL(json)
    } else {
      bytes.removeLast(bytes.count - start)
      let entry = Self.entry(record)
      guard let line = entry.line(at: WARCFile.Location(file: file, offset: offset, length: record.length)) else {
        return nil
      }
      bytes += line.utf8
      url = entry.field("url")
    }
    lines.append((start, bytes.count - start))
    return url
  }

  /// Sorts the lines by their bytes (what `sort` with `LC_ALL=C` and cdxj-indexer do).
  mutating func sort() {
    let bytes = bytes
    lines.sort { a, b in
      bytes[a.start..<(a.start + a.count)].lexicographicallyPrecedes(bytes[b.start..<(b.start + b.count)])
    }
  }

  /// The lines in their order, a newline after each, in pieces of up to 1 MiB.
  func forEachPiece(_ body: ([UInt8]) throws -> Void) rethrows {
    var piece: [UInt8] = []
    piece.reserveCapacity(1 << 20)
    for line in lines {
      piece += bytes[line.start..<(line.start + line.count)]
      piece.append(0x0A)
      if piece.count >= 1 << 20 {
        try body(piece)
        piece.removeAll(keepingCapacity: true)
      }
    }
    if !piece.isEmpty { try body(piece) }
  }

  /// The URL a stored block starts with (`{"url": "…"`), when it holds no escape; else read
  /// with `CDXJFields`.
  static func leadingURL(_ json: String) -> String? {
    let utf8 = json.utf8
    let start = utf8.index(utf8.startIndex, offsetBy: 9)
    if let end = utf8[start...].firstIndex(where: { $0 == 0x22 || $0 == 0x5C }), utf8[end] == 0x22 {
      return String(json[start..<end])
    }
    return CDXJFields.parse(json)?.first { $0.0 == "url" }?.1
  }

  /// The entry a stored block describes, read member by member (url, mime, status, digest).
  static func entry(_ record: ExportRecord) -> IndexedRecord {
    let text = record.json
    var fields: [(String, String)] = []
    if let members = text.flatMap(CDXJFields.parse) {
      fields = ["url", "mime", "status", "digest"].compactMap { key in members.first { $0.0 == key } }
    } else if let object = text.flatMap({ try? JSONSerialization.jsonObject(with: Data($0.utf8)) }) as? [String: Any] {
      for key in ["url", "mime", "status", "digest"] {
        if let value = object[key] as? String { fields.append((key, value)) }
      }
    }
    return IndexedRecord(type: "", surt: record.surt, timestamp: record.timestamp, fields: fields)
  }
}
