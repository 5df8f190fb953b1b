import Foundation
import SKZlib

/// Reads `.warc.gz` files: one record at an offset, or every member in order.
public enum WARCFile {
  /// Where a record lives: file (relative to the store root, `warc/…`), offset and
  /// compressed length of its gzip member.
  public struct Location: Sendable, Equatable {
    public var file: String
    public var offset: Int64
    public var length: Int64
    public init(file: String, offset: Int64, length: Int64) {
      self.file = file
      self.offset = offset
      self.length = length
    }
  }

  /// Reads the record whose gzip member starts at `offset` in `path`. `length`, the member's
  /// length when the catalog knows it, is read first instead of a 256 KiB window (the web
  /// view's `id_` reads a ~20 KB member per request).
  /// - Throws: `WARCFormatError` naming the file and offset.
  public static func record(at offset: Int64, in path: String, length: Int64 = 0) throws(WARCFormatError) -> (
    WARCRecord, Int
  ) {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw WARCFormatError(message: "\(path): cannot open")
    }
    defer { try? handle.close() }
    do {
      try handle.seek(toOffset: UInt64(offset))
    } catch {
      throw WARCFormatError(message: "\(path): cannot seek to \(offset)")
    }
    // Records are bounded by max_body_mb plus headers; read in growing windows until the
    // member is complete (a corrupt member is known as such without reading further).
    var window = Window(handle: handle, start: offset)
    window.read(length > 0 && length < 256 * 1024 ? Int(length) : 256 * 1024)
    // The member whole, as the catalog says: decoded in one call (Inflater.decodeWholeMember).
    // Anything else, or a record that does not parse, takes the path below and its errors.
    if length > 0, window.bytes.count == length,
      let decoded = Inflater.decodeWholeMember(window.bytes, at: 0, limit: 1 << 31),
      let record = try? WARCRecord.parse(decoded)
    {
      return (record, Int(length))
    }
    while true {
      switch window.decode(0) {
      case .record(let record, let consumed):
        return (record, consumed)
      case .needMore:
        window.read(max(256 * 1024, window.bytes.count))
      case .bad(let problem):
        throw WARCFormatError(message: "\(path) at offset \(offset): \(problem)")
      }
    }
  }

  /// Reads the record at a catalog location, `root` being the store: the member's `length` is
  /// read first, so showing a page with 40 images of 50 KB reads 2 MB, not 10
  /// (docs/performance.md#show).
  public static func record(at location: Location, root: String) throws(WARCFormatError) -> WARCRecord {
    try record(at: location.offset, in: root + "/" + location.file, length: location.length).0
  }

  /// Walks the members of a file from `offset` (a member boundary; default the start),
  /// reading it in bounded chunks so a 1 GiB file never sits in memory whole.
  /// - Returns: each record with its offset and member length, and the offset where the
  ///   valid part of the file ends (less than the file size when the tail is torn).
  public static func scan(_ path: String, from offset: Int64 = 0)
    -> (records: [(WARCRecord, offset: Int64, length: Int64)], validEnd: Int64, problem: String?)
  {
    var out: [(WARCRecord, offset: Int64, length: Int64)] = []
    let end = walk(path, from: offset) { member in
      if case .record(let record, let at, let length) = member { out.append((record, at, length)) }
    }
    return (out, end.validEnd, end.problem)
  }

  /// One step of a `walk`: a record, or a stretch of bytes that is none (`resync` only).
  public enum Member {
    case record(WARCRecord, offset: Int64, length: Int64)
    case damaged(offset: Int64, length: Int64, problem: String)
  }

  /// Streams the members of a file from `offset` to `visit`, one at a time: memory holds one
  /// member and its record, whatever the file size.
  ///
  /// - Parameter resync: past a member that does not decode, look for the next gzip member
  ///   that decodes as a record, report the bytes between as `.damaged` and go on (`verify`).
  ///   Without it the walk stops there (torn-tail recovery).
  /// - Returns: where the valid part ends (the file size when nothing at the end is damaged)
  ///   and what is wrong from there on.
  public static func walk(
    _ path: String, from offset: Int64 = 0, resync: Bool = false, _ visit: (Member) -> Void
  ) -> (validEnd: Int64, problem: String?) {
    guard let handle = FileHandle(forReadingAtPath: path) else { return (offset, "cannot read \(path)") }
    defer { try? handle.close() }
    guard (try? handle.seek(toOffset: UInt64(offset))) != nil else { return (offset, "cannot seek to \(offset)") }
    var window = Window(handle: handle, start: offset)
    window.scratch = [UInt8](repeating: 0, count: 1 << 20)
    var at = 0  // the next member, as an index into window.bytes
    window.read(Window.chunk)
    while true {
      if at >= window.bytes.count {
        window.compact(&at)
        if window.atEOF { break }
        window.read(Window.chunk)
        continue
      }
      switch window.decode(at) {
      case .record(let record, let consumed):
        visit(.record(record, offset: window.start + Int64(at), length: Int64(consumed)))
        at += consumed
        if at > Window.chunk { window.compact(&at) }
      case .needMore:
        // A member longer than what is buffered: read as much again (a big record).
        window.compact(&at)
        window.read(max(Window.chunk, window.bytes.count))
      case .bad(let problem):
        let damagedAt = window.start + Int64(at)
        guard resync, let next = window.nextRecord(after: &at) else {
          return (damagedAt, "at offset \(damagedAt): \(problem)")
        }
        visit(.damaged(offset: damagedAt, length: next - damagedAt, problem: problem))
      }
    }
    return (window.start + Int64(at), nil)
  }

  /// A bounded read window over a file.
  private struct Window {
    static let chunk = 1 << 20
    let handle: FileHandle
    /// File offset of `bytes[0]`.
    var start: Int64
    var bytes: [UInt8] = []
    var atEOF = false
    /// Where libdeflate decodes each member of a walk (`Inflater.decodeMember(_:at:scratch:)`);
    /// empty for a single record.
    var scratch: [UInt8] = []

    init(handle: FileHandle, start: Int64) {
      self.handle = handle
      self.start = start
    }

    mutating func read(_ count: Int) {
      guard !atEOF else { return }
      let data = (try? handle.read(upToCount: count)) ?? Data()
      if data.isEmpty { atEOF = true } else { bytes.append(contentsOf: data) }
    }

    /// Forgets the bytes before `index`, moving `at` (an index) along with them.
    mutating func drop(_ at: inout Int, upTo index: Int) {
      guard index > 0 else { return }
      bytes.removeFirst(index)
      start += Int64(index)
      at -= index
    }

    /// Forgets the bytes before `at`, which becomes 0.
    mutating func compact(_ at: inout Int) {
      let index = at
      drop(&at, upTo: index)
    }

    enum Decoded {
      case record(WARCRecord, consumed: Int)
      case needMore
      case bad(String)
    }

    /// The member at `index`: a record, cut by the window's end, or not a record.
    mutating func decode(_ index: Int) -> Decoded {
      do {
        let (decoded, consumed) = try Inflater.decodeMember(bytes, at: index, scratch: &scratch)
        do {
          return .record(try WARCRecord.parse(decoded), consumed: consumed)
        } catch {
          return .bad(error.message)
        }
      } catch {
        if atEOF || error.code != .dataError { return .bad("not a complete gzip member (\(error))") }
        // Corrupt, or only cut where the window ends? A cut stream decodes without error
        // when truncation is allowed; a corrupt one does not. So a corrupt member never
        // makes the window grow to the end of the file.
        do {
          _ = try Inflater.decode(Array(bytes[index...]), encoding: .gzip, limit: 1 << 31, allowTruncated: true)
          return .needMore
        } catch {
          return error.code == .dataError ? .bad("corrupt gzip member (\(error))") : .needMore
        }
      }
    }

    /// Looks past the damaged member at `at` for the next gzip member that decodes as a
    /// record; moves `at` there and returns its file offset, or nil when none follows.
    mutating func nextRecord(after at: inout Int) -> Int64? {
      var candidate = at + 1
      while true {
        if let i = Self.magic(in: bytes, from: candidate) {
          switch decode(i) {
          case .record:
            at = i
            return start + Int64(i)
          case .needMore:
            candidate = i
            drop(&candidate, upTo: i)
            read(max(Self.chunk, bytes.count))
          case .bad:
            candidate = i + 1
          }
        } else {
          if atEOF { return nil }
          // Keep two bytes: a gzip magic may straddle the window's end.
          let keep = max(0, min(candidate, bytes.count - 2))
          drop(&candidate, upTo: keep)
          read(Self.chunk)
        }
      }
    }

    /// Index of the next gzip member header (`1f 8b 08`) at or after `from`.
    static func magic(in bytes: [UInt8], from: Int) -> Int? {
      var i = from
      while i + 2 < bytes.count {
        if bytes[i] == 0x1F && bytes[i + 1] == 0x8B && bytes[i + 2] == 0x08 { return i }
        i += 1
      }
      return nil
    }
  }
}
