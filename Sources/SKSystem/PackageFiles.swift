import Glibc
import SystemPackage

/// The two files of a package export (`export wacz`): a store file read by ranges, and the
/// package written front to back (docs/performance.md#wacz-export).
///
/// Why not `FileHandle`: its `read(upToCount:)` allocates a fresh `Data` for every piece (a
/// 1 MiB allocation is an `mmap`, and every page of it a fault), and its writes cannot start
/// the disk early. Here a piece lands in one buffer the caller reuses, so a whole-store copy
/// is one `pread` and one `write` per piece and nothing else.
public final class RangeReader: Sendable {
  public let path: String
  private let descriptor: Descriptor

  /// Opens `path` read-only.
  /// - Throws: `IOError` (`open`).
  public init(path: String) throws(IOError) {
    do {
      descriptor = Descriptor(try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec]))
    } catch {
      throw IOError(operation: "open", path: path, errno: error as? Errno ?? .ioError)
    }
    self.path = path
    // The export reads each file front to back: a larger read-ahead window.
    _ = posix_fadvise(descriptor.rawValue, 0, 0, POSIX_FADV_SEQUENTIAL)
  }

  /// Replaces `buffer`'s bytes with up to `count` bytes read at `offset` (its storage is
  /// reused when it is unique and large enough). Fewer bytes only at the end of the file.
  /// - Throws: `IOError` (`pread`).
  public func read(at offset: Int64, count: Int, into buffer: inout [UInt8]) throws(IOError) {
    if buffer.count != count {
      // Grows or shrinks the count without giving back the capacity (no zeroing on reuse).
      if buffer.count > count {
        buffer.removeLast(buffer.count - count)
      } else {
        buffer.append(contentsOf: repeatElement(0, count: count - buffer.count))
      }
    }
    var got = 0
    var failure: Int32 = 0
    buffer.withUnsafeMutableBytes { raw in
      while got < count {
        let n = pread(descriptor.rawValue, raw.baseAddress! + got, count - got, off_t(offset) + off_t(got))
        if n < 0 && errno == EINTR { continue }
        if n < 0 { failure = errno }
        if n <= 0 { break }
        got += n
      }
    }
    if failure != 0 { throw IOError(operation: "pread", path: path, code: failure) }
    if got < count { buffer.removeLast(count - got) }
  }
}

/// A new file written front to back, with one fix-up write at an earlier offset allowed (a
/// zip entry's CRC goes into its header after the entry's bytes), made durable by `close()`.
public final class SequentialOutput: Sendable {
  public let path: String
  private let descriptor: Descriptor

  /// Creates (or truncates) `path`, `0644`.
  /// - Throws: `IOError` (`open`).
  public init(path: String) throws(IOError) {
    do {
      descriptor = Descriptor(
        try FileDescriptor.open(
          FilePath(path), .writeOnly, options: [.create, .truncate, .closeOnExec],
          permissions: [.ownerReadWrite, .groupRead, .otherRead]))
    } catch {
      throw IOError(operation: "open", path: path, errno: error as? Errno ?? .ioError)
    }
    self.path = path
  }

  /// Appends `bytes` (short writes are retried).
  /// - Throws: `IOError` (`write`, e.g. `ENOSPC`).
  public func write(_ bytes: [UInt8]) throws(IOError) {
    var failure: Int32 = 0
    bytes.withUnsafeBytes { raw in
      var done = 0
      while done < raw.count {
        let n = Glibc.write(descriptor.rawValue, raw.baseAddress! + done, raw.count - done)
        if n < 0 && errno == EINTR { continue }
        if n < 0 {
          failure = errno
          return
        }
        done += n
      }
    }
    if failure != 0 { throw IOError(operation: "write", path: path, code: failure) }
  }

  /// Writes `bytes` at `offset` (before the end) without moving the append position.
  /// - Throws: `IOError` (`pwrite`).
  public func overwrite(_ bytes: [UInt8], at offset: Int64) throws(IOError) {
    var failure: Int32 = 0
    bytes.withUnsafeBytes { raw in
      var done = 0
      while done < raw.count {
        let n = pwrite(descriptor.rawValue, raw.baseAddress! + done, raw.count - done, off_t(offset) + off_t(done))
        if n < 0 && errno == EINTR { continue }
        if n < 0 {
          failure = errno
          return
        }
        done += n
      }
    }
    if failure != 0 { throw IOError(operation: "pwrite", path: path, code: failure) }
  }

  /// Flushes the file to the disk (`fsync`) and closes it.
  /// - Throws: `IOError` (`fsync`).
  public func close() throws(IOError) {
    defer { descriptor.close() }
    if fsync(descriptor.rawValue) != 0 { throw IOError(operation: "fsync", path: path, code: errno) }
  }
}
