public import Foundation
import SKSystem

/// `export wacz`: a WACZ 1.1.1 package of the selected captures (docs/design.md#wacz-export).
///
/// Read-only on the store: records are cut from the store's WARC files by the offsets and
/// lengths in `archive_record` (no decompression, no re-encoding), one `archive/` file per
/// store file, each starting with that file's `warcinfo` record. Bounded memory: record bytes
/// pass through one 256 KiB buffer; what grows with the export is the list of records and the
/// index lines (sorted in memory, about 300 bytes a record).
public struct WACZExporter {
  public let catalog: Catalog
  public let root: String
  /// Largest main text written into `pages.jsonl` (bytes of UTF-8); longer texts are left out
  /// (a typical WeChat article's text is 5-30 KB; the page list stays a fraction of the WARCs).
  public var maxPageText = 32_768

  public init(catalog: Catalog, root: String) {
    self.catalog = catalog
    self.root = root
  }

  public struct Summary: Sendable {
    public var warcFiles: Int
    public var records: Int
    public var pages: Int
    public var bytes: UInt64
  }

  /// Writes the package to `output` (through `output.part`, renamed when complete).
  public func export(_ selection: ExportSelection, to output: String, title: String, created: Date = Date()) throws
    -> Summary
  {
    var records = try catalog.exportRecords(snapshots: selection.snapshots)
    let partial = output + ".part"
    let zip = try ZipWriter(path: partial, date: created)
    var resources: [(path: String, sha256: String, size: UInt64)] = []
    var index = PackageIndex()
    var files = 0
    let recordCount = records.count
    var exportedURLs = Set<String>()
    do {
      var buffer: [UInt8] = []
      var start = 0
      while start < records.count {
        let file = records[start].file
        var end = start
        while end < records.count && records[end].file == file { end += 1 }
        let group = records[start..<end]
        start = end
        let name = file.split(separator: "/").last.map(String.init) ?? file
        let path = root + "/" + file
        let info = warcinfoLength(path)
        let size = UInt64(info) + group.reduce(0) { $0 + UInt64($1.length) }
        let reader: RangeReader
        do {
          reader = try RangeReader(path: path)
        } catch {
          throw ZipWriterError(message: "\(path): cannot open: \(error.reason) (run `sourcekeep verify`)")
        }
        var offset = Int64(info)
        let entry = try zip.addEntry("archive/" + name, size: size) { stream in
          // Ranges that lie end to end in the store file are copied as one (a whole-store export
          // reads each file in large pieces, not one read per record).
          var run: (offset: Int64, length: Int64)? = info > 0 ? (0, Int64(info)) : nil
          for r in group {
            if let current = run, current.offset + current.length == r.offset {
              run = (current.offset, current.length + r.length)
            } else {
              if let current = run { try copy(reader, current, to: stream, buffer: &buffer) }
              run = (r.offset, r.length)
            }
            if let url = index.add(r, at: offset, in: name) { exportedURLs.insert(url) }
            offset += r.length
          }
          if let run { try copy(reader, run, to: stream, buffer: &buffer) }
        }
        resources.append(("archive/" + name, entry.sha256, entry.size))
        files += 1
      }
      // The records are copied; only their index lines are needed from here on.
      records = []
      index.sort()
      let indexEntry = try zip.addEntry("indexes/index.cdxj", size: UInt64(index.size)) { stream in
        try index.forEachPiece { try stream.writeThrough($0) }
      }
      resources.append(("indexes/index.cdxj", indexEntry.sha256, indexEntry.size))
      // The page list goes through a scratch file beside the output: its size must be known
      // before its zip entry starts, and it grows with the texts.
      let scratch = partial + ".pages"
      defer { try? FileManager.default.removeItem(atPath: scratch) }
      let pagesSize = try writePages(selection.pages, exportedURLs: exportedURLs, to: scratch)
      let pagesFile: RangeReader
      do {
        pagesFile = try RangeReader(path: scratch)
      } catch {
        throw ZipWriterError(message: "\(scratch): cannot open: \(error.reason)")
      }
      let pagesEntry = try zip.addEntry("pages/pages.jsonl", size: pagesSize) { stream in
        try copy(pagesFile, (0, Int64(pagesSize)), to: stream, buffer: &buffer)
      }
      resources.append(("pages/pages.jsonl", pagesEntry.sha256, pagesEntry.size))
      let package = Array(datapackage(resources, title: title, created: created).utf8)
      try zip.addEntry("datapackage.json", data: package)
      let digest = JSONValue.object([
        ("path", "datapackage.json"), ("hash", .string("sha256:" + SHA256.hex(package))),
      ]).pretty
      try zip.addEntry("datapackage-digest.json", data: Array(digest.utf8))
      try zip.finish()
      // In one step over any file of that name: a reader sees the old package or the new one.
      do { try atomicRename(partial, over: output) } catch {
        throw ZipWriterError(message: "\(output): cannot move the finished package into place: \(error.reason)")
      }
    } catch {
      try? FileManager.default.removeItem(atPath: partial)
      throw error
    }
    let bytes = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? NSNumber)?.uint64Value ?? 0
    return Summary(warcFiles: files, records: recordCount, pages: selection.pages.count, bytes: bytes)
  }

  /// The compressed length of the `warcinfo` record that starts a store file (0 if none).
  private func warcinfoLength(_ path: String) -> Int {
    guard let (record, length) = try? WARCFile.record(at: 0, in: path), record.type == .warcinfo else { return 0 }
    return length
  }

  /// Writes `pages/pages.jsonl` to `path`: the json-pages-1.0 header, then one line per cited
  /// article. - Returns: its size in bytes.
  func writePages(_ pages: [ExportPage], exportedURLs: Set<String>, to path: String) throws -> UInt64 {
    let out = try BufferedFileWriter(path: path)
    var size: UInt64 = 0
    func line(_ value: JSONValue) throws {
      let bytes = Array((value.compact + "\n").utf8)
      size += UInt64(bytes.count)
      try out.write(bytes)
    }
    // `hasText` in the header is optional (py-wacz sets it when it extracted texts): left out,
    // so the header can be written before the texts are read.
    try line(.object([("format", "json-pages-1.0"), ("id", "pages"), ("title", "All Pages")]))
    // Texts in batches of 256: one read transaction each, at most 8 MiB of text in memory.
    for start in stride(from: 0, to: pages.count, by: 256) {
      let batch = pages[start..<min(start + 256, pages.count)]
      let texts = catalog.snapshotTexts(batch.map(\.textSnapshot), maxBytes: maxPageText)
      for (i, (page, text)) in zip(batch.indices, zip(batch, texts)) {
        // The cited URL when the export holds its capture (its redirect hops included), else
        // the URL the archived response has.
        let url = exportedURLs.contains(page.url) ? page.url : (page.finalURL ?? page.url)
        var members: [(String, JSONValue)] = [
          ("id", .string("sourcekeep-\(i + 1)")), ("url", .string(url)),
          ("ts", .string(WARCRecordBuilder.date(page.capturedAt))), ("title", .optional(page.title)),
        ]
        if let text, !text.isEmpty { members.append(("text", .string(text))) }
        try line(.object(members))
      }
    }
    try out.close()
    return size
  }

  func datapackage(_ resources: [(path: String, sha256: String, size: UInt64)], title: String, created: Date)
    -> String
  {
    JSONValue.object([
      ("profile", "data-package"),
      (
        "resources",
        .array(
          resources.map { r in
            .object([
              ("name", .string((r.path.split(separator: "/").last.map(String.init) ?? r.path).lowercased())),
              ("path", .string(r.path)), ("hash", .string("sha256:" + r.sha256)), ("bytes", .int(Int64(r.size))),
            ])
          })
      ),
      ("title", .string(title)), ("created", .string(WARCRecordBuilder.date(created))),
      ("wacz_version", "1.1.1"), ("software", .string("sourcekeep \(SourcekeepVersion.string)")),
    ]).pretty
  }
}

extension WACZExporter {
  /// The piece a copy reads and writes at a time: large enough that the calls cost nothing next
  /// to the bytes, small enough that the piece stays in the CPU's cache between the read, the
  /// CRC, the hash and the write.
  static let piece = 256 * 1024

  /// Copies `range` of `reader`'s file into `stream`, through `buffer` (reused).
  func copy(
    _ reader: RangeReader, _ range: (offset: Int64, length: Int64), to stream: ZipWriter.EntryStream,
    buffer: inout [UInt8]
  ) throws {
    var at = range.offset
    let end = range.offset + range.length
    while at < end {
      do {
        try reader.read(at: at, count: Int(min(end - at, Int64(Self.piece))), into: &buffer)
      } catch {
        throw ZipWriterError(message: "\(reader.path): \(error.reason) (run `sourcekeep verify`)")
      }
      if buffer.isEmpty {
        throw ZipWriterError(
          message: "\(reader.path): ends before offset \(end) that the catalog points at (run `sourcekeep verify`)")
      }
      try stream.writeThrough(buffer)
      at += Int64(buffer.count)
    }
  }
}
