import Foundation

/// An IP address or CIDR block (`10.0.0.0/8`, `::1`, `fd00::/8`), as raw bytes and a prefix.
///
/// Used to validate `fetch.private_allowlist` and by the fetcher's address guard.
public struct AddressBlock: Sendable, Equatable, Hashable {
  /// 4 bytes for IPv4, 16 for IPv6, network order.
  public let address: [UInt8]
  /// Prefix length in bits (32/128 for a single address).
  public let prefix: Int

  /// Parses `ADDRESS` or `ADDRESS/PREFIX`; nil when either part is invalid.
  public init?(parsing text: String) {
    let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 1 || parts.count == 2, let bytes = AddressBlock.bytes(of: String(parts[0])) else {
      return nil
    }
    let bits = bytes.count * 8
    var prefix = bits
    if parts.count == 2 {
      guard let p = Int(parts[1]), (0...bits).contains(p), !parts[1].hasPrefix("+") else { return nil }
      prefix = p
    }
    self.address = bytes
    self.prefix = prefix
  }

  /// Whether `bytes` (4 or 16 bytes) falls inside this block.
  public func contains(_ bytes: [UInt8]) -> Bool {
    guard bytes.count == address.count else { return false }
    var remaining = prefix
    for i in 0..<address.count where remaining > 0 {
      let take = min(8, remaining)
      let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - take))
      if bytes[i] & mask != address[i] & mask { return false }
      remaining -= take
    }
    return true
  }

  /// The bytes of a textual IPv4 or IPv6 address (inet_pton), or nil.
  public static func bytes(of text: String) -> [UInt8]? {
    var v4 = in_addr()
    if inet_pton(AF_INET, text, &v4) == 1 {
      return withUnsafeBytes(of: &v4) { Array($0) }
    }
    var v6 = in6_addr()
    if inet_pton(AF_INET6, text, &v6) == 1 {
      return withUnsafeBytes(of: &v6) { Array($0) }
    }
    return nil
  }
}
