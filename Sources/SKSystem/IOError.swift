public import SystemPackage

/// A failed system call: which call, on which path, and the errno it set (as swift-nio's
/// `IOError` keeps it), so callers can tell "no such directory" from "permission denied".
public struct IOError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The call that failed (`open`, `bind`, `connect`, …).
  public var operation: String
  /// The file or socket path it was called for.
  public var path: String
  /// The errno value.
  public var code: Int32

  public init(operation: String, path: String, errno: Errno) {
    self.operation = operation
    self.path = path
    self.code = errno.rawValue
  }

  public init(operation: String, path: String, code: Int32) {
    self.operation = operation
    self.path = path
    self.code = code
  }

  /// The errno as swift-system's type (`.noSuchFileOrDirectory`, `.permissionDenied`, …).
  public var errno: Errno { Errno(rawValue: code) }

  /// `strerror(3)`'s text for the errno; for an `open` refused with `O_NOFOLLOW`, what it means.
  public var reason: String {
    if operation == "open" && errno == .tooManySymbolicLinkLevels {
      return
        "it is a symbolic link, which sourcekeep does not follow for its own files (replace it with a regular file)"
    }
    return errno.description
  }

  public var description: String { "\(operation) \(path): \(reason)" }
}

/// The socket calls' name for the same error (the daemon's code predates `IOError`).
public typealias SocketError = IOError
