import Crypto
import Foundation

/// SHA-1 (FIPS 180-4), streaming: WARC's `WARC-Block-Digest` and `WARC-Payload-Digest` are
/// `sha1:` + base32 by convention (wget, Heritrix, warcio, pywb all expect it), so sourcekeep
/// computes it while bytes pass through, without holding a body twice.
///
/// swift-crypto's implementation (BoringSSL's assembly, SHA-NI where the CPU has it). Every
/// archived byte is hashed twice (payload and block digest); the pure-Swift version this replaced
/// was 5 % of a capture's CPU (docs/performance.md#where-capture-cpu-goes).
public struct SHA1: Sendable {
  private var state = Insecure.SHA1()

  public init() {}

  /// Arrays, slices and `Data` are hashed in place; other collections are copied once.
  public mutating func update(_ bytes: some Collection<UInt8>) {
    if let array = bytes as? [UInt8] {
      state.update(data: array)
    } else if let slice = bytes as? ArraySlice<UInt8> {
      state.update(data: slice)
    } else if let data = bytes as? Data {
      state.update(data: data)
    } else {
      state.update(data: Array(bytes))
    }
  }

  public mutating func finalize() -> [UInt8] {
    Array(state.finalize())
  }

  /// The digest of `bytes`.
  public static func digest(_ bytes: some Collection<UInt8>) -> [UInt8] {
    var s = SHA1()
    s.update(bytes)
    return s.finalize()
  }

  /// `sha1:` + RFC 4648 base32 of the digest, the WARC convention.
  public static func warcDigest(_ bytes: some Collection<UInt8>) -> String {
    "sha1:" + Base32.encode(digest(bytes))
  }
}

/// RFC 4648 base32 (upper case, `=` padding), as WARC digests use it.
public enum Base32 {
  private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

  public static func encode(_ bytes: [UInt8]) -> String {
    var out: [UInt8] = []
    var buffer: UInt64 = 0
    var bits = 0
    for b in bytes {
      buffer = (buffer << 8) | UInt64(b)
      bits += 8
      while bits >= 5 {
        out.append(alphabet[Int((buffer >> UInt64(bits - 5)) & 31)])
        bits -= 5
      }
    }
    if bits > 0 { out.append(alphabet[Int((buffer << UInt64(5 - bits)) & 31)]) }
    while out.count % 8 != 0 { out.append(UInt8(ascii: "=")) }
    return String(decoding: out, as: UTF8.self)
  }
}
