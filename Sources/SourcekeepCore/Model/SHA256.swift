import Crypto
public import Foundation

/// SHA-256 (FIPS 180-4): digest content hashes, the web view's credential cache key, and every
/// file of a WACZ export (`datapackage.json`).
///
/// swift-crypto's implementation (BoringSSL's assembly, with the SHA-NI instructions where the
/// CPU has them): the export hashes every byte it writes, and the pure-Swift version this
/// replaced ran at ~200 MB/s, a quarter of `zip -0`'s throughput (docs/performance.md#wacz-export).
public struct SHA256: Sendable {
  private var state = Crypto.SHA256()

  public init() {}

  /// The hex digest of `bytes`.
  public static func hex(_ bytes: some Sequence<UInt8>) -> String {
    var s = SHA256()
    s.update(bytes)
    return hexString(s.finalize())
  }

  /// Lower-case hex of a digest.
  static func hexString(_ digest: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(digest.count * 2)
    for b in digest {
      out.append(digits[Int(b >> 4)])
      out.append(digits[Int(b & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  public mutating func update(_ bytes: some Sequence<UInt8>) {
    update(Array(bytes))
  }

  /// Hashes the array's storage in place (no copy).
  public mutating func update(_ bytes: [UInt8]) {
    state.update(data: bytes)
  }

  /// Hashes the bytes in place: the export's copy loop hashes what it read without converting it.
  public mutating func update(_ data: Data) {
    state.update(data: data)
  }

  public mutating func finalize() -> [UInt8] {
    Array(state.finalize())
  }
}
