import Glibc
import SystemPackage

/// An inotify instance (non-blocking, close-on-exec) for the digest watcher: the descriptor a
/// Dispatch read source waits on, watches added by path, and a drain of the queued events.
public final class Inotify: Sendable {
  /// The events that can mean a file in a watched folder appeared, changed or went away.
  public static let changeMask = UInt32(
    IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)

  private let owner: Descriptor

  /// A new instance; nil when the kernel refuses one (limits, no inotify).
  public init?() {
    let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
    guard fd >= 0 else { return nil }
    owner = Descriptor(FileDescriptor(rawValue: fd))
  }

  /// The descriptor (for `DispatchSource.makeReadSource`).
  public var rawValue: Int32 { owner.rawValue }

  /// Watches `folder` for `changeMask` events (adding a watch twice is harmless: inotify
  /// returns the same one). False when the kernel refused (missing folder, watch limit).
  @discardableResult
  public func watch(_ folder: String) -> Bool {
    inotify_add_watch(owner.rawValue, folder, Self.changeMask) >= 0
  }

  /// Reads and discards every queued event (which ones came does not matter to the caller).
  public func drain() {
    while !UnixSocket.readSome(owner.rawValue).isEmpty {}
  }

  /// Closes the descriptor (also done on deinit).
  public func close() { owner.close() }
}

/// A file's modification time and size, from `stat(2)`.
public struct FileStamp: Sendable, Equatable, CustomStringConvertible {
  public var seconds: Int
  public var nanoseconds: Int
  public var size: Int64

  /// The stamp of `path` (following symlinks); nil when it cannot be stat'ed.
  public init?(path: String) {
    guard let info = try? Stat(FilePath(path)) else { return nil }
    seconds = Int(info.st_mtim.tv_sec)
    nanoseconds = Int(info.st_mtim.tv_nsec)
    size = info.size
  }

  /// `"mtime.nsec size"`.
  public var description: String { "\(seconds).\(nanoseconds) \(size)" }
}
