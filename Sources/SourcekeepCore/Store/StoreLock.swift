import Foundation
import SKSystem

/// Another process holds the store: exit 75 and name it.
public struct StoreBusy: Error, Sendable, CustomStringConvertible {
  public var lockFile: String
  /// The holder's pid, as it wrote it into the lock file (nil if unreadable).
  public var holderPID: Int32?
  public var description: String {
    let who = holderPID.map { "process \($0)" } ?? "another process"
    return
      "storage is busy: \(lockFile) is held by \(who). Wait for it to finish, or stop it (a running daemon serves `ingest now` itself)."
  }
}

/// One writer per storage dir: an exclusive `flock(2)` on `<storage.dir>/lock` (`LockedFile`).
///
/// flock is released by the kernel when the process dies, so a crash never leaves a stale
/// lock behind; the pid inside is only for the message a second writer prints.
public final class StoreLock: Sendable {
  public let path: String
  private let file: LockedFile

  /// Takes the lock without waiting.
  /// - Throws: `StoreBusy` when another process holds it; `IOError` (with the errno and the
  ///   path) when the lock file cannot be opened; Foundation's error when its folder cannot be made.
  public init(path: String) throws {
    let dir = (path as NSString).deletingLastPathComponent
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    switch try LockedFile.tryLock(path: path, note: Array("\(ProcessInfo.processInfo.processIdentifier)\n".utf8)) {
    case .acquired(let file):
      self.file = file
      self.path = path
    case .held(let note):
      let text = String(decoding: note, as: UTF8.self)
      throw StoreBusy(lockFile: path, holderPID: Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }
  }
}
