import Glibc
import Synchronization
import SystemPackage

/// A scratch file under `<storage.dir>/tmp` holding one large response body (or one gzip member
/// made from it) while it travels from libcurl to the WARC file (docs/design.md#spooled-bodies).
///
/// Created `0600` with `O_CREAT | O_EXCL | O_NOFOLLOW` under a unique name, so a planted file or
/// symbolic link is never written through. The file is unlinked exactly once: on `remove()` or
/// when the last reference goes away, so a body that is abandoned (a failed transfer, a retried
/// attempt, a cancelled task) leaves nothing behind. Reads use `pread(2)` and do not move the
/// append position; an unlinked file stays readable through its descriptor.
public final class SpoolFile: Sendable {
  /// The file's path (`<dir>/spool-<pid>-<n>-<random>`).
  public let path: String
  private let descriptor: Descriptor
  private let state = Mutex<(size: Int, removed: Bool)>((0, false))

  /// The name prefix of every spool file (what `SpoolDirectory.removeLeftovers` removes).
  public static let namePrefix = "spool-"

  private static let counter = Atomic<Int>(0)

  private init(path: String, descriptor: Descriptor) {
    self.path = path
    self.descriptor = descriptor
  }

  /// Creates a new, empty spool file in `directory` (made `0700` if missing).
  /// - Throws: `IOError` (`mkdir` or `open`, with the errno).
  public static func create(in directory: String) throws(IOError) -> SpoolFile {
    try SpoolDirectory.prepare(directory)
    let pid = getpid()
    for _ in 0..<8 {
      let n = counter.add(1, ordering: .relaxed).newValue
      let name = "\(namePrefix)\(pid)-\(n)-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
      let path = directory + "/" + name
      do {
        let fd = try FileDescriptor.open(
          FilePath(path), .readWrite, options: [.create, .exclusiveCreate, .noFollow, .closeOnExec],
          permissions: [.ownerReadWrite])
        return SpoolFile(path: path, descriptor: Descriptor(fd))
      } catch let error as Errno where error == .fileExists {
        continue
      } catch {
        throw IOError(operation: "open", path: path, errno: error as? Errno ?? .ioError)
      }
    }
    throw IOError(operation: "open", path: directory + "/" + namePrefix + "…", errno: .fileExists)
  }

  /// Another spool file in the same directory (the gzip member made from this body).
  public func sibling() throws(IOError) -> SpoolFile {
    let directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
    return try SpoolFile.create(in: directory.isEmpty ? "." : directory)
  }

  /// The bytes written so far.
  public var size: Int { state.withLock { $0.size } }

  /// Appends `bytes` (a short write is retried until all are written).
  /// - Throws: `IOError` (`write`, e.g. `ENOSPC`); the file then holds a prefix of what was given.
  public func append(_ bytes: UnsafeRawBufferPointer) throws(IOError) {
    var done = 0
    while done < bytes.count {
      let n = Glibc.write(descriptor.rawValue, bytes.baseAddress! + done, bytes.count - done)
      if n < 0 {
        if errno == EINTR { continue }
        throw IOError(operation: "write", path: path, code: errno)
      }
      done += n
      state.withLock { $0.size += n }
    }
  }

  /// Appends `bytes`.
  public func append(_ bytes: [UInt8]) throws(IOError) {
    var failure: IOError?
    bytes.withUnsafeBytes { raw in
      do throws(IOError) { try append(raw) } catch { failure = error }
    }
    if let failure { throw failure }
  }

  /// Up to `count` bytes from `offset` (fewer at the end of the file).
  /// - Throws: `IOError` (`pread`).
  public func read(at offset: Int, count: Int) throws(IOError) -> [UInt8] {
    let wanted = max(0, min(count, size - offset))
    var got = 0
    var failure: Int32 = 0
    let bytes = [UInt8](unsafeUninitializedCapacity: wanted) { buffer, initialized in
      while got < wanted {
        let n = pread(descriptor.rawValue, buffer.baseAddress! + got, wanted - got, off_t(offset + got))
        if n < 0 && errno == EINTR { continue }
        if n <= 0 {
          failure = n < 0 ? errno : EIO
          break
        }
        got += n
      }
      initialized = got
    }
    if failure != 0 { throw IOError(operation: "pread", path: path, code: failure) }
    return bytes
  }

  /// Calls `body` with the file's bytes in order, `chunk` bytes at a time, so a body of any
  /// size passes through a buffer of one chunk.
  public func forEachChunk<E: Error>(
    chunk: Int = SpoolFile.chunkSize, _ body: ([UInt8]) throws(E) -> Void
  ) throws(SpoolReadError<E>) {
    var offset = 0
    let total = size
    while offset < total {
      let bytes: [UInt8]
      do {
        bytes = try read(at: offset, count: chunk)
      } catch {
        throw .read(error)
      }
      do {
        try body(bytes)
      } catch {
        throw .body(error)
      }
      offset += bytes.count
    }
  }

  /// The chunk size of `forEachChunk`: 1 MiB, large enough that a copy costs few system calls,
  /// small enough that many transfers in flight hold little.
  public static let chunkSize = 1 << 20

  /// Unlinks the file and closes it; later calls do nothing.
  public func remove() {
    let first = state.withLock { s -> Bool in
      defer { s.removed = true }
      return !s.removed
    }
    guard first else { return }
    unlink(path)
    descriptor.close()
  }

  deinit { remove() }
}

/// A failure of `SpoolFile.forEachChunk`: reading the file, or the caller's body.
public enum SpoolReadError<E: Error>: Error {
  case read(IOError)
  case body(E)
}

/// The spool folder `<storage.dir>/tmp` (docs/design.md#spooled-bodies).
public enum SpoolDirectory {
  /// Makes `path` a folder only its owner can enter (`0700`); an existing symbolic link or
  /// non-folder at `path` is refused, never followed.
  /// - Throws: `IOError` (`mkdir`, or `lstat` with `ENOTDIR` for something else in the way).
  public static func prepare(_ path: String) throws(IOError) {
    var info = stat()
    if lstat(path, &info) == 0 {
      guard (info.st_mode & S_IFMT) == S_IFDIR else {
        throw IOError(operation: "lstat", path: path, code: ENOTDIR)
      }
      return
    }
    // Missing parents (a fresh storage.dir) are made as `mkdir -p` would, 0755.
    var parent = ""
    for part in path.split(separator: "/").dropLast() {
      parent += (parent.isEmpty && !path.hasPrefix("/") ? "" : "/") + part
      if mkdir(parent, 0o755) != 0 && errno != EEXIST {
        throw IOError(operation: "mkdir", path: parent, code: errno)
      }
    }
    if mkdir(path, 0o700) != 0 && errno != EEXIST {
      throw IOError(operation: "mkdir", path: path, code: errno)
    }
  }

  /// Removes every spool file left in `path` by a process that died before cleaning up.
  /// Call it only while holding the store lock (no other writer is spooling then; a file
  /// still open elsewhere, e.g. by `probe`, stays readable through its descriptor anyway).
  /// - Returns: the names removed, sorted; empty when the folder does not exist.
  public static func removeLeftovers(in path: String) -> [String] {
    guard let dir = opendir(path) else { return [] }
    defer { closedir(dir) }
    var removed: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      guard name.hasPrefix(SpoolFile.namePrefix) else { continue }
      if unlink(path + "/" + name) == 0 { removed.append(name) }
    }
    return removed.sorted()
  }
}
