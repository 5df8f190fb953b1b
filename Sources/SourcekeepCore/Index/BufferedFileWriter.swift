import Foundation
import Synchronization

/// Writes a new file in 256 KiB chunks (index files, WACZ parts): memory holds one chunk
/// whatever the file's size. Sendable so a catalog cursor's closure can write through it.
final class BufferedFileWriter: Sendable {
  private let handle: FileHandle
  private let buffer = Mutex<[UInt8]>([])
  private static let chunk = 256 * 1024

  /// Creates (or truncates) `path`.
  init(path: String) throws {
    guard FileManager.default.createFile(atPath: path, contents: nil) else {
      throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
    }
    handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
  }

  func write(_ text: String) throws { try write(Array(text.utf8)) }

  func write(_ bytes: some Collection<UInt8>) throws {
    let full: [UInt8]? = buffer.withLock { buffer in
      buffer.append(contentsOf: bytes)
      guard buffer.count >= Self.chunk else { return nil }
      defer { buffer.removeAll(keepingCapacity: true) }
      return buffer
    }
    if let full { try handle.write(contentsOf: full) }
  }

  /// Flushes what is buffered and closes the file.
  func close() throws {
    let rest = buffer.withLock { buffer in
      defer { buffer.removeAll() }
      return buffer
    }
    if !rest.isEmpty { try handle.write(contentsOf: rest) }
    try handle.close()
  }
}
