public import Foundation
public import SKSystem
import SKZlib
import Synchronization

/// One gzip member ready to append: in memory, or in a spool file when it was made from a
/// spooled body (docs/design.md#spooled-bodies).
public enum WARCMember: Sendable {
  case bytes([UInt8])
  case file(SpoolFile)

  /// The member's length in bytes.
  public var count: Int {
    switch self {
    case .bytes(let b): b.count
    case .file(let f): f.size
    }
  }
}

/// Appends records to `<storage.dir>/warc/*.warc.gz`, one gzip member per record, fsynced
/// before it returns their locations (docs/design.md#durability-order: record on disk, then the
/// catalog row, then the journal event).
///
/// Not Sendable: one writer per store (the store lock), used from one task at a time.
public final class WARCWriter {
  /// Files roll over past this many bytes. Default 1 GiB (docs/design.md#archive).
  public let maxFileBytes: Int64
  public let directory: String
  /// The store root, so locations are relative (`warc/…`) and the store can move.
  public let storeRoot: String
  private let builder: WARCRecordBuilder
  private let clock: @Sendable () -> Date
  private let info: [(String, String)]
  /// Where the catalog's last record in a file ends (`warc/NAME` → offset), so reopening a
  /// file only re-reads what came after it instead of inflating the whole file.
  private let knownEnd: (String) -> Int64?

  private var handle: FileHandle?
  private var currentName = ""
  private var currentSize: Int64 = 0
  /// A failed write could not be cut back yet: the next write reopens the file and cuts it.
  private var mustCut = false
  private(set) public var warcinfoID: String?
  /// The file the next write goes to (`warc/…`, relative to the store), once one is open.
  public var currentFile: String? { currentName.isEmpty ? nil : "warc/" + currentName }
  /// Bytes cut off torn tails when files were opened (reported by the caller).
  private(set) public var recoveredTails: [(file: String, bytes: Int64)] = []

  public init(
    layout: StoreLayout, builder: WARCRecordBuilder = WARCRecordBuilder(), maxFileBytes: Int64 = 1 << 30,
    info: [(String, String)] = [], clock: @escaping @Sendable () -> Date = { Date() },
    knownEnd: @escaping (String) -> Int64? = { _ in nil }
  ) {
    self.knownEnd = knownEnd
    self.directory = layout.warcDirectory
    self.storeRoot = layout.root
    self.builder = builder
    self.maxFileBytes = maxFileBytes
    self.info = info
    self.clock = clock
  }

  deinit { try? handle?.close() }

  /// Opens (or rolls over to) the file the next write goes to, so `warcinfoID` names it.
  public func prepare() throws {
    _ = try openForAppend()
  }

  /// Writes `records` as consecutive members, fsyncs, and returns their locations.
  public func write(_ records: [WARCRecord]) throws -> [WARCFile.Location] {
    try appendMembers(records.map { try Self.member($0) })
  }

  /// `record` as one gzip member of the archive (the capture pipeline compresses records
  /// in parallel with this, then hands them to `appendMembers`). Only for records whose block
  /// is in memory; `streamedMember` takes any.
  static func member(_ record: WARCRecord) throws(ZlibError) -> [UInt8] {
    try ArchiveGzip.member(record.serialized)
  }

  /// The largest spooled body `streamedMember` compresses whole, with libdeflate (the member
  /// still goes to a spool file). Most spooled bodies are pages of 1-4 MB (a WeChat article's
  /// HTML is 1-3 MB); libdeflate takes 2.5x less CPU for them than zlib's streaming
  /// (docs/performance.md#spooled-pages-compressed-whole).
  static let wholeLimit = 4 << 20

  /// Whether a spooled body is being compressed whole. One at a time, so that the copies in
  /// memory (the record, up to `wholeLimit`, and its member) add at most about 9 MiB to the
  /// process; a second one meanwhile is streamed.
  private static let compressingWhole = Atomic<Bool>(false)

  /// `record` as one gzip member: in memory as `member` makes it, or, when its block ends in a
  /// spool file, into a sibling spool file: compressed whole when the body is at most
  /// `wholeLimit` and no other is being compressed whole, else a chunk at a time with zlib,
  /// so that neither the record nor its member is ever whole in memory.
  /// - Throws: `WARCFormatError` when the spool file cannot be read or written or compression fails.
  public static func streamedMember(_ record: WARCRecord) throws(WARCFormatError) -> WARCMember {
    guard let body = record.blockFile else {
      do {
        return .bytes(try member(record))
      } catch {
        throw WARCFormatError(message: "cannot compress a \(record.type?.rawValue ?? "") record: \(error)")
      }
    }
    let spooled = "the spooled body of \(record.targetURI ?? "?") (\(body.path))"
    guard record.header("WARC-Block-Digest")?.isEmpty == false else {
      throw WARCFormatError(message: "cannot read \(spooled) to digest it")
    }
    if body.size <= wholeLimit,
      compressingWhole.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
    {
      defer { compressingWhole.store(false, ordering: .releasing) }
      do {
        return .file(try wholeMember(record, body: body))
      } catch {
        throw WARCFormatError(message: "cannot compress \(spooled): \(error)")
      }
    }
    do {
      let out = try body.sibling()
      let gzip = try GzipStream(tuning: .archive)
      let write: ([UInt8]) throws(IOError) -> Void = { (bytes: [UInt8]) throws(IOError) in try out.append(bytes) }
      try gzip.update(record.serializedHead + record.block, emit: write)
      do {
        try body.forEachChunk { (chunk: [UInt8]) throws(IOError) in try gzip.update(chunk, emit: write) }
      } catch {
        switch error {
        case .read(let e): throw e
        case .body(let e): throw e
        }
      }
      try gzip.update(WARCRecord.end, emit: write)
      try gzip.finish(emit: write)
      return .file(out)
    } catch {
      throw WARCFormatError(message: "cannot compress \(spooled): \(error)")
    }
  }

  /// `record`, whose block ends in `body`, read whole and compressed by libdeflate into a
  /// sibling spool file.
  private static func wholeMember(_ record: WARCRecord, body: SpoolFile) throws -> SpoolFile {
    var whole = record.serializedHead + record.block
    whole.reserveCapacity(whole.count + body.size + 4)
    try body.forEachChunk { (chunk: [UInt8]) throws(IOError) in whole += chunk }
    whole += WARCRecord.end
    let member = try ArchiveGzip.member(whole)
    whole = []
    let out = try body.sibling()
    try out.append(member)
    return out
  }

  /// The size of one gathered write in `appendMembers`.
  static let writeChunk = 1 << 20

  /// Appends already gzipped records (one member each) in one write, fsyncs, and returns
  /// their locations. Compressing is the caller's job so it can run in parallel.
  public func appendMembers(_ members: [[UInt8]]) throws -> [WARCFile.Location] {
    try appendMembers(members.map { WARCMember.bytes($0) })
  }

  /// Appends gzipped records, in memory or spooled: the ones in memory in one write, a spooled
  /// one copied a chunk at a time; one fsync at the end. Returns their locations.
  public func appendMembers(_ members: [WARCMember]) throws -> [WARCFile.Location] {
    let handle = try openForAppend()
    var locations: [WARCFile.Location] = []
    var total: Int64 = 0
    for member in members {
      locations.append(
        WARCFile.Location(file: "warc/" + currentName, offset: currentSize + total, length: Int64(member.count)))
      total += Int64(member.count)
    }
    do {
      // Small members are gathered into writes of about 1 MiB: few system calls, and the copy
      // is bounded (a whole batch concatenated, then copied into `Data`, held it three times).
      var buffer = Data()
      buffer.reserveCapacity(Self.writeChunk)
      for member in members {
        switch member {
        case .bytes(let bytes):
          if !buffer.isEmpty && buffer.count + bytes.count > Self.writeChunk {
            try handle.write(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
          }
          if bytes.count >= Self.writeChunk {
            try handle.write(contentsOf: Data(bytes))
          } else {
            buffer.append(contentsOf: bytes)
          }
        case .file(let file):
          if !buffer.isEmpty { try handle.write(contentsOf: buffer) }
          buffer.removeAll(keepingCapacity: true)
          try file.forEachChunk { (chunk: [UInt8]) throws in try handle.write(contentsOf: Data(chunk)) }
        }
      }
      if !buffer.isEmpty { try handle.write(contentsOf: buffer) }
      try handle.synchronize()
    } catch {
      // A partial write or a failed fsync moved the file position past bytes that are not
      // a whole, durable member: cut back to the last good size so later offsets stay true.
      let cut = cutBack()
      throw WARCFormatError(
        message: "cannot append to warc/\(currentName) at offset \(currentSize): \(error); " + cut)
    }
    currentSize += total
    return locations
  }

  /// Truncates the open file to `currentSize` (the end of its last complete member) and
  /// says so; when that fails, drops the handle so the next write reopens and cuts again.
  private func cutBack() -> String {
    do {
      try handle?.truncate(atOffset: UInt64(currentSize))
      try handle?.synchronize()
      try handle?.seek(toOffset: UInt64(currentSize))
      return "cut back to \(currentSize) bytes"
    } catch {
      try? handle?.close()
      handle = nil
      mustCut = true
      return "could not cut back to \(currentSize) bytes (\(error)); the next write retries"
    }
  }

  /// Reopens the current file after a failed cut and truncates it to the last good size.
  private func reopenAndCut() throws {
    let h = try FileHandle(forUpdating: URL(fileURLWithPath: directory + "/" + currentName))
    do {
      try h.truncate(atOffset: UInt64(currentSize))
      try h.synchronize()
      try h.seek(toOffset: UInt64(currentSize))
    } catch {
      try? h.close()
      throw error
    }
    handle = h
    mustCut = false
  }

  /// The open file, rolling over or creating one as needed.
  private func openForAppend() throws -> FileHandle {
    if mustCut { try reopenAndCut() }
    if let handle, currentSize < maxFileBytes { return handle }
    try? handle?.close()
    handle = nil
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    var existing = Self.files(in: directory)
    if handle == nil, let last = existing.last, currentName.isEmpty {
      // First open in this process: continue the newest file after cutting a torn tail.
      let path = directory + "/" + last
      let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
      // Members up to the catalog's last pointer were fsynced before it was committed:
      // only what follows can be torn.
      let first = try? WARCFile.record(at: 0, in: path)
      let known = knownEnd("warc/" + last)
      if let (info, infoEnd) = first, info.type == .warcinfo {
        let trusted = max(Int64(infoEnd), min(known ?? 0, size))
        let scan = WARCFile.scan(path, from: trusted)
        if scan.validEnd < maxFileBytes {
          let h = try FileHandle(forUpdating: URL(fileURLWithPath: path))
          if scan.validEnd < size {
            try h.truncate(atOffset: UInt64(scan.validEnd))
            try h.synchronize()
            recoveredTails.append((last, size - scan.validEnd))
          }
          try h.seekToEnd()
          handle = h
          currentName = last
          currentSize = scan.validEnd
          warcinfoID = info.recordID
          return h
        }
      } else if known == nil {
        // A process killed between creating the file and completing its warcinfo: nothing
        // can follow a torn first record, and the catalog points nowhere in it, so the whole
        // file is the torn tail (kept, it would fail `verify` for good: no warcinfo).
        try FileManager.default.removeItem(atPath: path)
        recoveredTails.append((last, size))
        existing.removeLast()
      }
    }
    let sequence = (existing.compactMap(Self.sequence(of:)).max() ?? 0) + 1
    let name = Self.fileName(date: clock(), sequence: sequence)
    let path = directory + "/" + name
    guard FileManager.default.createFile(atPath: path, contents: nil) else {
      throw WARCFormatError(message: "cannot create \(path); check permissions of [storage] dir")
    }
    let h = try FileHandle(forUpdating: URL(fileURLWithPath: path))
    handle = h
    currentName = name
    currentSize = 0
    let record = builder.warcinfo(
      fileName: name, date: clock(),
      fields: [
        ("software", "sourcekeep/\(SourcekeepVersion.string)"),
        ("hostname", ProcessInfo.processInfo.hostName),
        ("format", "WARC File Format 1.1"),
        ("conformsTo", "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"),
      ] + info)
    warcinfoID = record.recordID
    do {
      _ = try write([record])
    } catch {
      // A file must start with its warcinfo: drop this one, the next write makes another.
      try? h.close()
      handle = nil
      mustCut = false
      try? FileManager.default.removeItem(atPath: path)
      throw error
    }
    // Make the new directory entry durable too.
    if let dir = FileHandle(forReadingAtPath: directory) {
      try? dir.synchronize()
      try? dir.close()
    }
    return h
  }

  /// `sourcekeep-20260217080000-00001.warc.gz`: UTC timestamp and sequence, nothing from a URL.
  static func fileName(date: Date, sequence: Int) -> String {
    let ts = Timestamp.string(date)
    let digits = ts.filter(\.isNumber).prefix(14)
    return "sourcekeep-\(digits)-\(String(format: "%05d", sequence)).warc.gz"
  }

  static func sequence(of name: String) -> Int? {
    guard name.hasPrefix("sourcekeep-"), name.hasSuffix(".warc.gz") else { return nil }
    let stem = name.dropLast(".warc.gz".count)
    return stem.split(separator: "-").last.flatMap { Int($0) }
  }

  /// The WARC files of a folder, oldest first (by sequence).
  public static func files(in directory: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.filter { sequence(of: $0) != nil }.sorted { (sequence(of: $0) ?? 0) < (sequence(of: $1) ?? 0) }
  }
}
