import Synchronization
public import SystemPackage

/// The one owner of an open file descriptor: closes it exactly once, on `close()` or when the
/// last reference goes away, whichever comes first.
public final class Descriptor: Sendable {
  /// The descriptor, valid until `close()`.
  public let fd: FileDescriptor
  private let closed = Atomic<Bool>(false)

  /// Takes ownership of `fd`.
  public init(_ fd: FileDescriptor) { self.fd = fd }

  /// The raw number (for Dispatch sources).
  public var rawValue: Int32 { fd.rawValue }

  /// Closes the descriptor; later calls do nothing.
  public func close() {
    guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
    try? fd.close()
  }

  deinit { close() }
}
