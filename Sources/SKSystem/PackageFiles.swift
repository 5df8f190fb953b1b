import Glibc
import Synchronization
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
///
/// The disk is started early: after every `writebackChunk` bytes the kernel is asked to begin
/// writing those out (`posix_fadvise(POSIX_FADV_DONTNEED)` on the range just written starts its
/// writeback without waiting; its pages are dirty, so none is dropped), so the `fsync` at the end
/// waits for the last chunk rather than for the whole file. The durability is the same; the wait
/// overlaps the copy instead of following it. (`sync_file_range` says this more directly, but
/// Swift's Glibc module leaves it out: it is a GNU extension.)
public final class SequentialOutput: Sendable {
  public let path: String
  private let descriptor: Descriptor
  private let position = Mutex<(written: Int64, started: Int64)>((0, 0))
  /// How much is written between two writeback requests.
  public static let writebackChunk: Int64 = 8 << 20

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

  /// Appends `bytes` (swift-system's `writeAll`: short and interrupted writes are retried).
  /// - Throws: `IOError` (`write`, e.g. `ENOSPC`).
  public func write(_ bytes: [UInt8]) throws(IOError) {
    do {
      _ = try descriptor.fd.writeAll(bytes)
    } catch {
      throw IOError(operation: "write", path: path, errno: error as? Errno ?? .ioError)
    }
    let range: (start: Int64, count: Int64)? = position.withLock { p in
      p.written += Int64(bytes.count)
      guard p.written - p.started >= Self.writebackChunk else { return nil }
      defer { p.started = p.written }
      return (p.started, p.written - p.started)
    }
    // A hint: when it fails, only the overlap is lost.
    if let range { _ = posix_fadvise(descriptor.rawValue, off_t(range.start), off_t(range.count), POSIX_FADV_DONTNEED) }
  }

  /// Writes `bytes` at `offset` (before the end) without moving the append position.
  /// - Throws: `IOError` (`pwrite`).
  public func overwrite(_ bytes: [UInt8], at offset: Int64) throws(IOError) {
    do {
      _ = try descriptor.fd.writeAll(toAbsoluteOffset: offset, bytes)
    } catch {
      throw IOError(operation: "pwrite", path: path, errno: error as? Errno ?? .ioError)
    }
  }

  /// Flushes the file to the disk (`fsync`) and closes it.
  /// - Throws: `IOError` (`fsync`).
  public func close() throws(IOError) {
    defer { descriptor.close() }
    if fsync(descriptor.rawValue) != 0 { throw IOError(operation: "fsync", path: path, code: errno) }
  }
}
