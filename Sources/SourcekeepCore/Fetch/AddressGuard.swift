internal import SKCurl

/// An IPv4 or IPv6 address as its network-order bytes (4 or 16).
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
  /// 4 bytes for IPv4, 16 for IPv6.
  public let bytes: [UInt8]

  /// Wraps raw bytes; returns nil unless there are exactly 4 or 16.
  public init?(bytes: [UInt8]) {
    guard bytes.count == 4 || bytes.count == 16 else { return nil }
    self.bytes = bytes
  }

  /// Parses dotted IPv4 (`127.0.0.2`) or IPv6 text (`::1`, `fd00::1`, `::ffff:10.0.0.1`).
  public init?(_ text: String) {
    if let v4 = IPAddress.parseV4(Substring(text)) {
      bytes = v4
    } else if let v6 = IPAddress.parseV6(text) {
      bytes = v6
    } else {
      return nil
    }
  }

  public var isV4: Bool { bytes.count == 4 }

  /// The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`)
  /// or NAT64 (`64:ff9b::a.b.c.d`) IPv6 address.
  public var embeddedV4: IPAddress? {
    guard bytes.count == 16 else { return nil }
    let head = bytes.prefix(12)
    let mapped = head.prefix(10).allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff
    let compatible =
      head.allSatisfy { $0 == 0 } && !(bytes[12] == 0 && bytes[13] == 0 && bytes[14] == 0 && bytes[15] <= 1)
    let nat64 = Array(head) == [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0]
    guard mapped || compatible || nat64 else { return nil }
    return IPAddress(bytes: Array(bytes.suffix(4)))
  }

  public var description: String {
    if isV4 { return bytes.map(String.init).joined(separator: ".") }
    var groups: [String] = []
    for i in stride(from: 0, to: 16, by: 2) { groups.append(String(Int(bytes[i]) << 8 | Int(bytes[i + 1]), radix: 16)) }
    // Compress the longest run of zero groups.
    var best = (start: -1, length: 0)
    var i = 0
    while i < 8 {
      if groups[i] == "0" {
        var j = i
        while j < 8 && groups[j] == "0" { j += 1 }
        if j - i > best.length && j - i > 1 { best = (i, j - i) }
        i = j
      } else {
        i += 1
      }
    }
    if best.start < 0 { return groups.joined(separator: ":") }
    let left = groups[0..<best.start].joined(separator: ":")
    let right = groups[(best.start + best.length)...].joined(separator: ":")
    return left + "::" + right
  }

  static func parseV4(_ text: Substring) -> [UInt8]? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 4 else { return nil }
    var out: [UInt8] = []
    for p in parts {
      guard !p.isEmpty, p.count <= 3, p.allSatisfy(\.isASCII), let v = UInt8(p) else { return nil }
      out.append(v)
    }
    return out
  }

  static func parseV6(_ text: String) -> [UInt8]? {
    guard text.contains(":") else { return nil }
    var text = Substring(text)
    var tail: [UInt8] = []
    if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
      guard let v4 = parseV4(text[text.index(after: lastColon)...]) else { return nil }
      tail = v4
      text = text[...lastColon]
      if text.hasSuffix("::") == false { text = text.dropLast() }
    }
    func groups(_ s: Substring) -> [UInt16]? {
      if s.isEmpty { return [] }
      var out: [UInt16] = []
      for g in s.split(separator: ":", omittingEmptySubsequences: false) {
        guard !g.isEmpty, g.count <= 4, let v = UInt16(g, radix: 16) else { return nil }
        out.append(v)
      }
      return out
    }
    let wanted = tail.isEmpty ? 8 : 6
    var all: [UInt16]
    if let range = text.range(of: "::") {
      guard let l = groups(text[..<range.lowerBound]), let r = groups(text[range.upperBound...]),
        l.count + r.count < wanted
      else { return nil }
      all = l + Array(repeating: 0, count: wanted - l.count - r.count) + r
    } else {
      guard let g = groups(text), g.count == wanted else { return nil }
      all = g
    }
    var out: [UInt8] = []
    for g in all { out += [UInt8(g >> 8), UInt8(g & 0xff)] }
    return out + tail
  }
}

/// A CIDR block (`10.0.0.0/8`, `fd00::/8`) or a single address (`127.0.0.2`).
public struct CIDRBlock: Sendable, Hashable, CustomStringConvertible {
  /// The network address.
  public let address: IPAddress
  /// Leading bits that must match.
  public let prefixLength: Int

  /// Parses `address[/prefix]`; nil if either part is malformed.
  public init?(_ text: String) {
    let parts = text.trimmingWhitespace().split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 1 || parts.count == 2, let address = IPAddress(String(parts[0])) else { return nil }
    let maxBits = address.bytes.count * 8
    if parts.count == 2 {
      guard let bits = Int(parts[1]), (0...maxBits).contains(bits) else { return nil }
      prefixLength = bits
    } else {
      prefixLength = maxBits
    }
    self.address = address
  }

  /// Whether `ip` lies inside this block (same family only).
  public func contains(_ ip: IPAddress) -> Bool {
    guard ip.bytes.count == address.bytes.count else { return false }
    var bits = prefixLength
    for (a, b) in zip(ip.bytes, address.bytes) {
      if bits <= 0 { return true }
      let mask: UInt8 = bits >= 8 ? 0xff : ~(0xff >> UInt8(bits))
      if a & mask != b & mask { return false }
      bits -= 8
    }
    return true
  }

  public var description: String { "\(address)/\(prefixLength)" }
}

extension String {
  func trimmingWhitespace() -> Substring {
    var s = Substring(self)
    while let f = s.first, f.isWhitespace { s = s.dropFirst() }
    while let l = s.last, l.isWhitespace { s = s.dropLast() }
    return s
  }
}

/// Decides, at connect time, whether an address may be contacted (docs/design.md#security).
///
/// The check runs inside libcurl's open-socket callback, on the address actually about to
/// be connected, so it covers redirects and DNS rebinding alike.
public struct AddressGuard: Sendable {
  /// `fetch.allow_private_networks`.
  public let allowPrivateNetworks: Bool
  /// `fetch.private_allowlist`, parsed.
  public let allowlist: [CIDRBlock]

  /// The blocks refused by default: every entry of the IANA IPv4 and IPv6 Special-Purpose
  /// Address Registries (loopback, RFC 1918, CGNAT, link-local, "this network", IETF protocol
  /// assignments such as 192.0.0.0/24, documentation, benchmarking 198.18.0.0/15, reserved,
  /// broadcast, ULA, local-use NAT64 64:ff9b:1::/48, Teredo, 6to4, ORCHID, SRv6 SIDs), plus
  /// multicast and the deprecated site-local fec0::/10. IPv4-mapped, IPv4-compatible and
  /// NAT64 well-known-prefix addresses are judged by the IPv4 address inside (`isPrivate`).
  /// - SeeAlso: <https://www.iana.org/assignments/iana-ipv4-special-registry/>,
  ///   <https://www.iana.org/assignments/iana-ipv6-special-registry/>
  public static let refusedBlocks: [CIDRBlock] = [
    // IPv4 special-purpose registry
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
    "192.0.0.0/24", "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24", "192.88.99.0/24", "192.168.0.0/16",
    "192.175.48.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4",
    "255.255.255.255/32",
    // multicast
    "224.0.0.0/4",
    // IPv6 special-purpose registry (::ffff:0:0/96 and 64:ff9b::/96: by the embedded IPv4)
    "::/128", "::1/128", "64:ff9b:1::/48", "100::/64", "100:0:0:1::/64", "2001::/23", "2001:db8::/32",
    "2002::/16", "2620:4f:8000::/48", "3fff::/20", "5f00::/16", "fc00::/7", "fe80::/10",
    // site-local (deprecated) and multicast
    "fec0::/10", "ff00::/8",
  ].map { CIDRBlock($0)! }

  /// - Throws: `FetchError.badAllowlistEntry` naming the entry.
  public init(allowPrivateNetworks: Bool, allowlist: [String]) throws(FetchError) {
    self.allowPrivateNetworks = allowPrivateNetworks
    var blocks: [CIDRBlock] = []
    for entry in allowlist {
      guard let block = CIDRBlock(entry) else {
        throw FetchError(
          .badAllowlistEntry,
          "fetch.private_allowlist: \"\(entry)\" is not an IP address or CIDR block; write e.g. \"10.1.2.3\" or \"10.1.0.0/16\""
        )
      }
      blocks.append(block)
    }
    self.allowlist = blocks
  }

  /// Whether `ip` is in a refused block (an embedded IPv4 address counts as itself).
  public static func isPrivate(_ ip: IPAddress) -> Bool {
    if let v4 = ip.embeddedV4, isPrivate(v4) { return true }
    return refusedBlocks.contains { $0.contains(ip) }
  }

  /// Whether a connection to `ip` may be opened.
  public func admits(_ ip: IPAddress) -> Bool {
    if allowPrivateNetworks || !AddressGuard.isPrivate(ip) { return true }
    let candidates = [ip] + (ip.embeddedV4.map { [$0] } ?? [])
    return candidates.contains { c in allowlist.contains { $0.contains(c) } }
  }
}

extension AddressGuard {
  /// The host of `url` as libcurl will read it (see `CurlURL.host(of:)`); nil if libcurl refuses the URL.
  public static func curlHost(of url: String) -> String? { CurlURL.host(of: url) }

  /// The address a host libcurl reports (`CurlURL.host(of:)`) stands for without any name
  /// lookup, a dotted-quad or bracketed IPv6 literal, or for `localhost` and `*.localhost`
  /// (libcurl and most proxies answer those with loopback themselves) when `names` is true.
  /// nil for any other name.
  public static func literalAddresses(curlHost host: String, names: Bool = true) -> [IPAddress]? {
    if host.hasPrefix("[") {
      var inner = host.dropFirst()
      if inner.hasSuffix("]") { inner = inner.dropLast() }
      if let percent = inner.firstIndex(of: "%") { inner = inner[..<percent] }
      return IPAddress(String(inner)).map { [$0] }
    }
    if let v4 = IPAddress.parseV4(Substring(host)) { return [IPAddress(bytes: v4)!] }
    guard names else { return nil }
    var name = host.lowercased()
    if name.hasSuffix(".") { name.removeLast() }
    if name == "localhost" || name.hasSuffix(".localhost") { return [IPAddress("127.0.0.1")!, IPAddress("::1")!] }
    return nil
  }
}
