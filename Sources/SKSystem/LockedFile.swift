import Glibc
import SystemPackage

/// A file held under an exclusive `flock(2)` (the store's writer lock), with a short note
/// inside (the holder's pid) for whoever finds it taken.
///
/// flock is released by the kernel when the process dies, so a crash never leaves a stale lock.
/// Releasing (deinit) empties the note, unlocks and closes.
public final class LockedFile: Sendable {
  /// What a lock attempt found.
  public enum Attempt: Sendable {
    /// The lock is ours until the `LockedFile` goes away.
    case acquired(LockedFile)
    /// Another open file description holds it; the first bytes of its note.
    case held(note: [UInt8])
  }

  public let path: String
  private let owner: Descriptor

  private init(path: String, owner: Descriptor) {
    self.path = path
    self.owner = owner
  }

  /// Opens `path` (created 0644 if missing) and takes the lock without waiting; on success
  /// replaces the file's contents with `note`.
  /// - Throws: `IOError` when `open(2)` fails, with its errno (`ENOENT` for a missing folder,
  ///   `EACCES` for a file that cannot be opened for writing, `ELOOP` for a symbolic link: the
  ///   store's files are never followed elsewhere, so a planted link cannot redirect a write).
  public static func tryLock(path: String, note: [UInt8]) throws(IOError) -> Attempt {
    let fd: FileDescriptor
    do {
      fd = try FileDescriptor.open(
        FilePath(path), .readWrite, options: [.create, .closeOnExec, .noFollow],
        permissions: [.ownerReadWrite, .groupRead, .otherRead])
    } catch {
      throw IOError(operation: "open", path: path, errno: error as? Errno ?? .ioError)
    }
    let owner = Descriptor(fd)
    if flock(fd.rawValue, LOCK_EX | LOCK_NB) != 0 {
      var buffer = [UInt8](repeating: 0, count: 32)
      let n = (try? buffer.withUnsafeMutableBytes { try fd.read(fromAbsoluteOffset: 0, into: $0) }) ?? 0
      owner.close()
      return .held(note: Array(buffer[0..<n]))
    }
    _ = try? fd.resize(to: 0)
    _ = try? note.withUnsafeBytes { try fd.write(toAbsoluteOffset: 0, $0) }
    return .acquired(LockedFile(path: path, owner: owner))
  }

  deinit {
    _ = try? owner.fd.resize(to: 0)
    _ = flock(owner.rawValue, LOCK_UN)
    owner.close()
  }
}
