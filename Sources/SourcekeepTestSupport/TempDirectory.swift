import Foundation

/// A fresh folder under the system temporary directory for one test, removed with everything
/// in it when the value is dropped (a suite's stored property lives as long as its test).
/// `withTempDirectory` gives the same folder to a scope.
public final class TempDirectory: Sendable {
  /// The folder's absolute path.
  public let path: String

  /// Creates the folder (`sk-test-UUID`, or `PREFIX-UUID`).
  public init(prefix: String = "sk-test") {
    path = (NSTemporaryDirectory() as NSString).appendingPathComponent(prefix + "-" + UUID().uuidString)
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  /// `path/relative`.
  public func file(_ relative: String) -> String { (path as NSString).appendingPathComponent(relative) }

  /// Writes `text` to `name` (creating folders on the way) and returns its path.
  @discardableResult
  public func write(_ name: String, _ text: String) -> String {
    write(name, bytes: Array(text.utf8))
  }

  /// Writes `bytes` to `name` (creating folders on the way) and returns its path.
  @discardableResult
  public func write(_ name: String, bytes: [UInt8]) -> String {
    let full = file(name)
    try! FileManager.default.createDirectory(
      atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: full, contents: Data(bytes))
    return full
  }
}

/// Runs `body` with a fresh temporary folder and removes the folder afterwards, also when
/// `body` throws.
public func withTempDirectory<T>(prefix: String = "sk-test", _ body: (TempDirectory) throws -> T) rethrows -> T {
  let dir = TempDirectory(prefix: prefix)
  defer { withExtendedLifetime(dir) {} }
  return try body(dir)
}

/// `withTempDirectory` for async bodies.
public func withTempDirectory<T>(
  prefix: String = "sk-test", _ body: (TempDirectory) async throws -> T
) async rethrows -> T {
  let dir = TempDirectory(prefix: prefix)
  defer { withExtendedLifetime(dir) {} }
  return try await body(dir)
}
