import SystemPackage

/// An append-only file (the journal): each `append` is one `write(2)` on a descriptor opened
/// with `O_APPEND`, so lines from concurrent writers (processes or threads) never interleave:
/// the kernel appends each write atomically at the end of a regular file.
public enum AppendOnlyFile {
  /// Opens `path` (created 0644 if missing), writes `bytes` with a single `write(2)`, closes.
  /// - Returns: the number of bytes written (less than `bytes.count` on a short write).
  /// - Throws: `IOError` (`open` or `write`) with the errno; `ELOOP` when `path` is a symbolic
  ///   link (never followed: a planted link must not redirect the journal's appends).
  public static func append(_ bytes: [UInt8], to path: String) throws(IOError) -> Int {
    let fd: FileDescriptor
    do {
      fd = try FileDescriptor.open(
        FilePath(path), .writeOnly, options: [.append, .create, .closeOnExec, .noFollow],
        permissions: [
          .ownerReadWrite, .groupRead, .otherRead,
        ])
    } catch {
      throw IOError(operation: "open", path: path, errno: error as? Errno ?? .ioError)
    }
    let owner = Descriptor(fd)
    defer { owner.close() }
    do {
      return try bytes.withUnsafeBytes { try fd.write($0) }
    } catch {
      throw IOError(operation: "write", path: path, errno: error as? Errno ?? .ioError)
    }
  }
}
