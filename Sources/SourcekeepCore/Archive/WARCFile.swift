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

  /// Reads the record whose gzip member starts at `offset` in `path`.
  /// - Throws: `WARCFormatError` naming the file and offset.
  public static func record(at offset: Int64, in path: String) throws(WARCFormatError) -> (WARCRecord, Int) {
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
    // member is complete.
    var window = 256 * 1024
    while true {
      let data = [UInt8]((try? handle.read(upToCount: window)) ?? Data())
      do {
        let (bytes, consumed) = try Inflater.decodeMember(data, at: 0)
        do {
          return (try WARCRecord.parse(bytes), consumed)
        } catch {
          throw WARCFormatError(message: "\(path) at offset \(offset): \(error.message)")
        }
      } catch let error as ZlibError {
        if data.count < window || window >= 2 << 30 {
          throw WARCFormatError(message: "\(path) at offset \(offset): not a complete gzip member (\(error))")
        }
        window *= 4
        try? handle.seek(toOffset: UInt64(offset))
      } catch let error as WARCFormatError {
        throw error
      } catch {
        throw WARCFormatError(message: "\(path) at offset \(offset): \(error)")
      }
    }
  }

  /// Walks the members of a file from `offset` (a member boundary; default the start),
  /// reading it in bounded chunks so a 1 GiB file never sits in memory whole.
  /// - Returns: each record with its offset and member length, and the offset where the
  ///   valid part of the file ends (less than the file size when the tail is torn).
  public static func scan(_ path: String, from offset: Int64 = 0)
    -> (records: [(WARCRecord, offset: Int64, length: Int64)], validEnd: Int64, problem: String?)
  {
    guard let handle = FileHandle(forReadingAtPath: path) else { return ([], offset, "cannot read \(path)") }
    defer { try? handle.close() }
    guard (try? handle.seek(toOffset: UInt64(offset))) != nil else { return ([], offset, "cannot seek to \(offset)") }
    let chunk = 1 << 20
    var buffer: [UInt8] = []
    var bufferStart = offset  // file offset of buffer[0]
    var position = 0  // next member, as an index into buffer
    var atEOF = false
    var out: [(WARCRecord, Int64, Int64)] = []
    func refill(_ want: Int) {
      guard !atEOF else { return }
      let data = (try? handle.read(upToCount: want)) ?? Data()
      if data.isEmpty { atEOF = true } else { buffer.append(contentsOf: data) }
    }
    refill(chunk)
    var want = chunk
    while position < buffer.count || !atEOF {
      if position >= buffer.count { refill(chunk); if position >= buffer.count { break } }
      do {
        let (decoded, consumed) = try Inflater.decodeMember(buffer, at: position)
        let record = try WARCRecord.parse(decoded)
        out.append((record, bufferStart + Int64(position), Int64(consumed)))
        position += consumed
        want = chunk
        if position > chunk {  // drop what is done, keep memory bounded
          buffer.removeFirst(position)
          bufferStart += Int64(position)
          position = 0
        }
      } catch {
        // Maybe the member only continues past what is buffered: read more and retry.
        if !atEOF {
          refill(want)
          want *= 2
          continue
        }
        return (out, bufferStart + Int64(position), "at offset \(bufferStart + Int64(position)): \(error)")
      }
    }
    return (out, bufferStart + Int64(position), nil)
  }
}
