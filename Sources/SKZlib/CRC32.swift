internal import Clibdeflate

/// The CRC-32 a zip entry carries (ISO 3309, the one gzip and zlib use), updated piece by piece.
///
/// libdeflate's, not zlib's `crc32_z`: it folds with carry-less multiplication (PCLMULQDQ, or
/// VPCLMULQDQ where the CPU has it), several times faster than zlib's table-driven loop; a WACZ
/// export computes it over every byte it copies (docs/performance.md#wacz-export). Same
/// polynomial, same start value: the results are zlib's (SKZlibTests compares them).
public struct CRC32: Sendable {
  public private(set) var value: UInt32 = 0

  public init() {}

  /// Adds `bytes` to the checksum (read in place, no copy).
  public mutating func update(_ bytes: [UInt8]) {
    value = bytes.withUnsafeBytes { libdeflate_crc32(value, $0.baseAddress, $0.count) }
  }
}
