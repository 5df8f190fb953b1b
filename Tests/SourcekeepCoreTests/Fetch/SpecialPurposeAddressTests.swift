import SourcekeepCore
import Testing

/// The refused addresses are the IANA special-purpose registries (issue #13, Low 11), not
/// only loopback and RFC 1918: every block below is refused unless allowlisted.
@Suite struct SpecialPurposeAddressTests {
  /// One address inside each block (IPv4 and IPv6 Special-Purpose Address Registries, plus
  /// multicast and deprecated site-local).
  static let refused = [
    "0.1.2.3", "10.9.8.7", "100.64.0.1", "127.0.0.2", "169.254.169.254", "172.16.5.4", "192.0.0.1",
    "192.0.0.8", "192.0.0.170", "192.0.0.192", "192.0.2.10", "192.31.196.1", "192.52.193.1", "192.88.99.1",
    "192.168.1.1", "192.175.48.1", "198.18.0.1", "198.19.255.254", "198.51.100.7", "203.0.113.9", "224.0.0.251",
    "240.0.0.1", "255.255.255.255",
    "::", "::1", "::ffff:10.0.0.1", "::ffff:192.0.0.192", "64:ff9b:1::1", "64:ff9b::c000:c0", "100::1",
    "2001::1", "2001:1::1", "2001:2::1", "2001:3::1", "2001:4:112::1", "2001:10::1", "2001:20::1", "2001:30::1",
    "2001:db8::1", "2002:7f00:1::1", "2620:4f:8000::1", "3fff::1", "5f00::1", "fc00::1", "fd12:3456::1",
    "fe80::1", "fec0::1", "ff02::1",
  ]
  /// Ordinary public addresses, which stay allowed.
  static let allowed = [
    "8.8.8.8", "1.1.1.1", "101.32.118.25", "183.3.224.138", "192.0.1.1", "198.20.0.1", "223.255.255.1",
    "2606:4700:4700::1111", "2400:da00::6666", "64:ff9b::808:808", "::ffff:8.8.8.8",
  ]

  @Test func everySpecialPurposeBlockIsRefusedUnlessAllowlisted() throws {
    let strict = try AddressGuard(allowPrivateNetworks: false, allowlist: [])
    for text in Self.refused {
      let ip = try #require(IPAddress(text), "\(text) does not parse")
      #expect(AddressGuard.isPrivate(ip), "\(text) is not refused")
      #expect(!strict.admits(ip), "\(text) is admitted")
      let allowlisted = try AddressGuard(allowPrivateNetworks: false, allowlist: [text])
      #expect(allowlisted.admits(ip), "\(text) allowlisted is still refused")
    }
    let widened = try AddressGuard(allowPrivateNetworks: false, allowlist: ["198.18.0.0/15", "192.0.0.0/24"])
    #expect(widened.admits(IPAddress("198.19.1.1")!))
    #expect(widened.admits(IPAddress("192.0.0.192")!))
    #expect(!widened.admits(IPAddress("10.0.0.1")!))
  }

  @Test func publicAddressesStayAllowed() throws {
    let strict = try AddressGuard(allowPrivateNetworks: false, allowlist: [])
    for text in Self.allowed {
      let ip = try #require(IPAddress(text), "\(text) does not parse")
      #expect(!AddressGuard.isPrivate(ip), "\(text) is refused")
      #expect(strict.admits(ip), "\(text) is not admitted")
    }
  }
}
