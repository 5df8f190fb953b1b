import Czlib
public import Foundation

/// zlib's CRC-32 (the checksum a zip entry carries), updated chunk by chunk.
public struct CRC32: Sendable {
  public private(set) var value: UInt32 = 0

  public init() {}

  public mutating func update(_ bytes: [UInt8]) {
    let next = bytes.withUnsafeBufferPointer { buffer in
      crc32(uLong(value), buffer.baseAddress, uInt(buffer.count))
    }
    value = UInt32(truncatingIfNeeded: next)
  }

  /// The bytes of `data` in place, region by region (no copy into an array).
  public mutating func update(_ data: Data) {
    for region in data.regions {
      let next = region.withUnsafeBytes { buffer in
        crc32(uLong(value), buffer.bindMemory(to: UInt8.self).baseAddress, uInt(buffer.count))
      }
      value = UInt32(truncatingIfNeeded: next)
    }
  }
}
