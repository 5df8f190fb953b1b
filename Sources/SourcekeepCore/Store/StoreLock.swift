import Foundation

/// Another process holds the store: exit 75 and name it.
public struct StoreBusy: Error, Sendable, CustomStringConvertible {
  public var lockFile: String
  /// The holder's pid, as it wrote it into the lock file (nil if unreadable).
  public var holderPID: Int32?
  public var description: String {
    let who = holderPID.map { "process \($0)" } ?? "another process"
    return "storage is busy: \(lockFile) is held by \(who). Wait for it to finish, or stop it (a running daemon serves `ingest now` itself)."
  }
}

/// One writer per storage dir: an exclusive `flock(2)` on `<storage.dir>/lock`.
///
/// flock is released by the kernel when the process dies, so a crash never leaves a stale
/// lock behind; the pid inside is only for the message a second writer prints.
public final class StoreLock: Sendable {
  public let path: String
  private let fd: Int32

  /// Takes the lock without waiting.
  /// - Throws: `StoreBusy` when another process holds it; `CocoaError`-style errors for I/O.
  public init(path: String) throws {
    let dir = (path as NSString).deletingLastPathComponent
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
    }
    if flock(fd, LOCK_EX | LOCK_NB) != 0 {
      var buffer = [UInt8](repeating: 0, count: 32)
      let n = pread(fd, &buffer, buffer.count, 0)
      close(fd)
      let text = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : ""
      throw StoreBusy(lockFile: path, holderPID: Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }
    let pid = Array("\(getpid())\n".utf8)
    _ = ftruncate(fd, 0)
    _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    self.fd = fd
    self.path = path
  }

  deinit {
    _ = ftruncate(fd, 0)
    flock(fd, LOCK_UN)
    close(fd)
  }
}
