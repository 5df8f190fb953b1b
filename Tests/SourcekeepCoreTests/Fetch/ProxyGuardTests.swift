import Foundation
import SourcekeepCore
import SourcekeepTestSupport
import Testing

/// The private-network guard with and without a proxy (issue #13, High 1): every spelling
/// of a private target that libcurl accepts is refused before anything is sent.
extension FetchNetworkTests {
  @Suite struct ProxyGuardTests {
    /// Hosts that libcurl reads as a private address, each with the address it means.
    static let hostileHosts: [(host: String, means: String)] = [
      ("localhost", "127.0.0.1"), ("2130706433", "127.0.0.1"), ("0x7f.1", "127.0.0.1"),
      ("0x7f.0.0.1", "127.0.0.1"), ("127.1", "127.0.0.1"), ("0177.0.0.1", "127.0.0.1"),
      ("012.0.0.1", "10.0.0.1"), ("[::ffff:127.0.0.1]", "127.0.0.1"), ("[::1]", "::1"),
      ("%31%32%37.0.0.1", "127.0.0.1"),
    ]

    @Test func libcurlsReadingOfEachHostIsTheAddressChecked() {
      for (host, means) in Self.hostileHosts {
        let curlHost = AddressGuard.curlHost(of: "http://\(host):8080/x")
        let addresses = curlHost.flatMap { AddressGuard.literalAddresses(curlHost: $0) }
        let first = addresses?.first.map { $0.embeddedV4 ?? $0 }
        #expect(first?.description == means, "\(host) read as \(String(describing: curlHost))")
        #expect(addresses.map { $0.allSatisfy(AddressGuard.isPrivate) } == true, "\(host)")
      }
      #expect(AddressGuard.curlHost(of: "http://example.org/x") == "example.org")
      #expect(AddressGuard.literalAddresses(curlHost: "example.org") == nil)
    }

    @Test func everySpellingIsRefusedDirectlyBeforeAnyConnection() async throws {
      let server = try FixtureServer()
      defer { server.stop() }
      for (host, means) in Self.hostileHosts {
        let r = try await fetchOnce("http://\(host):\(server.ports[0])/ok") { $0.allowPrivateNetworks = false }
        #expect(r.status == .excluded, "\(host)")
        #expect(r.reason == .privateNetwork, "\(host)")
        // A name is left to the connect-time guard, which sees what it resolves to.
        if host == "localhost" { continue }
        // Refused by the check before the transfer, naming the address meant.
        #expect(r.errorMessage?.contains("address ") == true, "\(host): \(r.errorMessage ?? "")")
        #expect(r.errorMessage?.contains(means) == true, "\(host): \(r.errorMessage ?? "")")
        #expect(r.errorMessage?.contains("nothing was sent") == true, "\(host): \(r.errorMessage ?? "")")
      }
      #expect(server.connectionCount == 0)
    }

    /// The origin on 127.0.0.1 and 127.0.0.3, the proxy on 127.0.0.2; only .2 and .3 are
    /// allowlisted, so a target reaching 127.0.0.1 (or 10/8, ::1) would be a hole.
    @Test func everySpellingIsRefusedThroughAProxyOnEveryHop() async throws {
      let origin = try FixtureServer(addresses: ["127.0.0.1", "127.0.0.3"])
      defer { origin.stop() }
      let proxy = try ForwardingProxy(address: "127.0.0.2")
      defer { proxy.stop() }
      func viaProxy(_ url: String) async throws -> FetchResult {
        try await fetchOnce(url) {
          $0.allowPrivateNetworks = false
          $0.privateAllowlist = ["127.0.0.2", "127.0.0.3"]
          $0.proxy = proxy.url
        }
      }
      // The proxy works: an allowlisted target goes through it to the origin.
      let allowed = origin.url("/ok", host: 1)
      let ok = try await viaProxy(allowed)
      #expect(ok.status == .ok, "\(ok.errorMessage ?? "")")
      #expect(proxy.targets == [allowed])
      #expect(origin.requestLog.map(\.address) == ["127.0.0.3"])

      for (host, means) in Self.hostileHosts {
        let r = try await viaProxy("http://\(host):\(origin.ports[0])/ok")
        #expect(r.status == .excluded, "\(host)")
        #expect(r.reason == .privateNetwork, "\(host)")
        #expect(r.errorMessage?.contains(means) == true, "\(host): \(r.errorMessage ?? "")")
        // A redirect hop to the same target is refused just the same.
        let first = origin.url("/to?url=http://\(host):\(origin.ports[0])/ok", host: 1)
        let hop = try await viaProxy(first)
        #expect(hop.status == .excluded, "redirect to \(host)")
        #expect(hop.hops.count == 2, "redirect to \(host)")
      }
      // Only the allowed URL and the redirects' first hops ever reached the proxy.
      #expect(proxy.targets.count == 1 + Self.hostileHosts.count)
      #expect(proxy.targets.allSatisfy { $0.hasPrefix("http://127.0.0.3:") })
      #expect(origin.requestLog.allSatisfy { $0.address == "127.0.0.3" })
    }

    @Test func aNameIsResolvedAndCheckedBeforeItGoesToTheProxy() async throws {
      // A name other than localhost that /etc/hosts maps to loopback (Debian's own host name,
      // `ip6-localhost`, a container's name): the system resolver answers without any DNS.
      let hosts = (try? String(contentsOfFile: "/etc/hosts", encoding: .utf8)) ?? ""
      let name = hosts.split(separator: "\n").lazy.compactMap { line -> String? in
        let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard f.count >= 2, f[0].hasPrefix("127.") || f[0] == "::1" else { return nil }
        return f.dropFirst().map(String.init).first { !$0.hasPrefix("#") && !$0.lowercased().hasSuffix("localhost") }
      }.first
      let origin = try FixtureServer(addresses: ["127.0.0.1"])
      defer { origin.stop() }
      let proxy = try ForwardingProxy(address: "127.0.0.2")
      defer { proxy.stop() }
      var urls = [UnresolvableHost.url("/ok")]
      if let name { urls.append("http://\(name):\(origin.ports[0])/ok") }
      for url in urls {
        let r = try await fetchOnce(url) {
          $0.allowPrivateNetworks = false
          $0.privateAllowlist = ["127.0.0.2"]
          $0.proxy = proxy.url
        }
        if url.contains(UnresolvableHost.name) {
          #expect(r.status == .unreachable)
          #expect(r.reason == .dns)
        } else {
          #expect(r.status == .excluded, "\(url)")
          #expect(r.reason == .privateNetwork, "\(url)")
          #expect(r.errorMessage?.contains("resolves to 127.") == true, "\(r.errorMessage ?? "")")
        }
      }
      #expect(proxy.targets.isEmpty)
      #expect(origin.connectionCount == 0)
    }

    @Test func aProxyOnAPrivateAddressIsRefusedByName() async throws {
      let origin = try FixtureServer(addresses: ["127.0.0.3"])
      defer { origin.stop() }
      let proxy = try ForwardingProxy(address: "127.0.0.2")
      defer { proxy.stop() }
      let r = try await fetchOnce(origin.url("/ok")) {
        $0.allowPrivateNetworks = false
        $0.privateAllowlist = ["127.0.0.3"]
        $0.proxy = proxy.url
      }
      #expect(r.status == .excluded)
      #expect(r.reason == .privateNetwork)
      #expect(r.errorMessage?.contains("the proxy \(proxy.url)") == true, "\(r.errorMessage ?? "")")
      #expect(r.errorMessage?.contains("127.0.0.2") == true)
      #expect(proxy.targets.isEmpty)
    }
  }
}
