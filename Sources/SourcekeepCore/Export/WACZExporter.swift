public import Foundation

/// `export wacz`: a WACZ 1.1.1 package of the selected captures (docs/design.md#wacz-export).
///
/// Read-only on the store: records are cut from the store's WARC files by the offsets and
/// lengths in `archive_record` (no decompression, no re-encoding), one `archive/` file per
/// store file, each starting with that file's `warcinfo` record. Bounded memory: record bytes
/// pass through a 1 MiB window; what grows with the export is the list of records and the
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
    var seen = Set<String>()
    var records = try catalog.archivedRecords(snapshots: selection.snapshots).filter {
      seen.insert("\($0.location.file)#\($0.location.offset)").inserted
    }
    seen = []
    let partial = output + ".part"
    let zip = try ZipWriter(path: partial, date: created)
    var resources: [(path: String, sha256: String, size: UInt64)] = []
    var lines: [String] = []
    var files = 0
    var recordCount = 0
    var exportedURLs = Set<String>()
    do {
      var start = 0
      while start < records.count {
        let file = records[start].location.file
        var end = start
        while end < records.count && records[end].location.file == file { end += 1 }
        let group = Array(records[start..<end])
        start = end
        let name = file.split(separator: "/").last.map(String.init) ?? file
        let path = root + "/" + file
        let info = warcinfoLength(path)
        let size = UInt64(info) + group.reduce(0) { $0 + UInt64($1.location.length) }
        let reader = try SourceFile(path: path)
        var offset = Int64(info)
        let entry = try zip.addEntry("archive/" + name, size: size) { stream in
          // Ranges that lie end to end in the store file are copied as one (a whole-store export
          // reads each file in 1 MiB pieces, not one seek and read per record).
          var run: (offset: Int64, length: Int64)? = info > 0 ? (0, Int64(info)) : nil
          for r in group {
            if let current = run, current.offset + current.length == r.location.offset {
              run = (current.offset, current.length + r.location.length)
            } else {
              if let current = run { try reader.copy(offset: current.offset, length: current.length, to: stream) }
              run = (r.location.offset, r.location.length)
            }
            let at = WARCFile.Location(file: name, offset: offset, length: r.location.length)
            if let line = r.entry.line(at: at) {
              lines.append(line)
              if let url = r.entry.field("url") { exportedURLs.insert(url) }
            }
            offset += r.location.length
          }
          if let run { try reader.copy(offset: run.offset, length: run.length, to: stream) }
        }
        resources.append(("archive/" + name, entry.sha256, entry.size))
        files += 1
      }
      // The records are copied; only their index lines are needed from here on.
      recordCount = records.count
      records = []
      lines.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
      // Streamed from the sorted lines: joining them first held three more copies of the index
      // at the export's peak (docs/performance.md#wacz-export).
      let indexSize = lines.reduce(UInt64(0)) { $0 + UInt64($1.utf8.count + 1) }
      let indexEntry = try zip.addEntry("indexes/index.cdxj", size: indexSize) { stream in
        var chunk: [UInt8] = []
        chunk.reserveCapacity(1 << 16)
        for line in lines {
          chunk += line.utf8
          chunk.append(0x0A)
          if chunk.count >= 1 << 16 {
            try stream.write(chunk)
            chunk.removeAll(keepingCapacity: true)
          }
        }
        if !chunk.isEmpty { try stream.write(chunk) }
      }
      resources.append(("indexes/index.cdxj", indexEntry.sha256, indexEntry.size))
      // The page list goes through a scratch file beside the output: its size must be known
      // before its zip entry starts, and it grows with the texts.
      let scratch = partial + ".pages"
      defer { try? FileManager.default.removeItem(atPath: scratch) }
      let pagesSize = try writePages(selection.pages, exportedURLs: exportedURLs, to: scratch)
      let pagesFile = try SourceFile(path: scratch)
      let pagesEntry = try zip.addEntry("pages/pages.jsonl", size: pagesSize) { stream in
        try pagesFile.copy(offset: 0, length: Int64(pagesSize), to: stream)
      }
      resources.append(("pages/pages.jsonl", pagesEntry.sha256, pagesEntry.size))
      let package = Array(datapackage(resources, title: title, created: created).utf8)
      try zip.addEntry("datapackage.json", data: package)
      let digest = JSONValue.object([
        ("path", "datapackage.json"), ("hash", .string("sha256:" + SHA256.hex(package))),
      ]).pretty
      try zip.addEntry("datapackage-digest.json", data: Array(digest.utf8))
      try zip.finish()
      if FileManager.default.fileExists(atPath: output) { try FileManager.default.removeItem(atPath: output) }
      try FileManager.default.moveItem(atPath: partial, toPath: output)
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

/// A store WARC file read by ranges.
private final class SourceFile {
  let handle: FileHandle
  let path: String

  init(path: String) throws {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw ZipWriterError(message: "\(path): cannot open (run `sourcekeep verify`)")
    }
    self.handle = handle
    self.path = path
  }

  deinit { try? handle.close() }

  func copy(offset: Int64, length: Int64, to stream: ZipWriter.EntryStream) throws {
    try handle.seek(toOffset: UInt64(offset))
    var left = length
    while left > 0 {
      let data = try handle.read(upToCount: Int(min(left, 1 << 20))) ?? Data()
      if data.isEmpty {
        throw ZipWriterError(
          message: "\(path): ends before offset \(offset + length) that the catalog points at (run `sourcekeep verify`)"
        )
      }
      try stream.write(data)
      left -= Int64(data.count)
    }
  }
}
