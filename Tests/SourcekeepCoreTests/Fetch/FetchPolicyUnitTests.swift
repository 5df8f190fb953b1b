import Foundation
import SourcekeepCore
import Testing

@Suite struct AddressGuardTests {
  @Test(arguments: [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "100.64.0.1", "100.127.255.255",
    "169.254.169.254", "224.0.0.1", "239.255.255.250", "0.0.0.0", "255.255.255.255",
    "::1", "::", "fe80::1", "fd00::1", "fc00::2", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
    "::127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::10.0.0.1",
  ])
  func privateAddressesAreRefusedByDefault(_ text: String) throws {
    let ip = try #require(IPAddress(text))
    let g = try AddressGuard(allowPrivateNetworks: false, allowlist: [])
    #expect(!g.admits(ip))
    #expect(try AddressGuard(allowPrivateNetworks: true, allowlist: []).admits(ip))
  }

  @Test(arguments: ["93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])
  func publicAddressesAreAdmitted(_ text: String) throws {
    let ip = try #require(IPAddress(text))
    #expect(try AddressGuard(allowPrivateNetworks: false, allowlist: []).admits(ip))
  }

  @Test func allowlistAcceptsAddressesAndCIDRBlocks() throws {
    let g = try AddressGuard(allowPrivateNetworks: false, allowlist: ["127.0.0.2", "10.1.0.0/16", "fd00::/8"])
    #expect(g.admits(IPAddress("127.0.0.2")!))
    #expect(!g.admits(IPAddress("127.0.0.3")!))
    #expect(g.admits(IPAddress("10.1.200.3")!))
    #expect(!g.admits(IPAddress("10.2.0.1")!))
    #expect(g.admits(IPAddress("fd12::5")!))
    #expect(g.admits(IPAddress("::ffff:127.0.0.2")!))
  }

  @Test func badAllowlistEntryNamesTheKeyAndTheEntry() {
    #expect {
      try AddressGuard(allowPrivateNetworks: false, allowlist: ["10.0.0.0/33"])
    } throws: { error in
      let e = error as? FetchError
      return e?.code == .badAllowlistEntry && e!.message.contains("fetch.private_allowlist")
        && e!.message.contains("10.0.0.0/33")
    }
  }

  @Test func addressesParseAndPrint() {
    #expect(IPAddress("::ffff:10.0.0.1")?.embeddedV4 == IPAddress("10.0.0.1"))
    #expect(IPAddress("2001:db8::1")?.description == "2001:db8::1")
    #expect(IPAddress("127.0.0.1")?.description == "127.0.0.1")
    #expect(IPAddress("1.2.3") == nil)
    #expect(IPAddress("1.2.3.256") == nil)
    #expect(IPAddress("1::2::3") == nil)
    #expect(CIDRBlock("192.168.0.0/16")?.contains(IPAddress("192.168.44.1")!) == true)
    #expect(CIDRBlock("192.168.0.0/16")?.contains(IPAddress("192.169.0.1")!) == false)
    #expect(CIDRBlock("0.0.0.0/0")?.contains(IPAddress("8.8.8.8")!) == true)
  }
}

@Suite struct HostPolicyTests {
  let t0 = ContinuousClock.now

  @Test func perHostConcurrencyAndGlobalLimitHold() {
    var p = HostPolicy(concurrency: 3, perHostConcurrency: 2, perHostInterval: .zero)
    for i in 0..<4 { p.enqueue(i, host: "a") }
    for i in 4..<6 { p.enqueue(i, host: "b") }
    let first = p.grants(now: t0)
    #expect(first.granted.map(\.id) == [0, 1, 4])
    #expect(p.inFlightCount == 3)
    p.release(0, host: "a", sentAt: t0)
    #expect(p.grants(now: t0).granted.map(\.id) == [2])
    p.release(4, host: "b", sentAt: t0)
    #expect(p.grants(now: t0).granted.map(\.id) == [5])
  }

  @Test func intervalDelaysTheNextStartAndSaysWhenToWake() {
    var p = HostPolicy(concurrency: 10, perHostConcurrency: 5, perHostInterval: .milliseconds(500))
    p.enqueue(1, host: "a")
    p.enqueue(2, host: "a")
    p.enqueue(3, host: "b")
    let g = p.grants(now: t0)
    #expect(g.granted.map(\.id) == [1, 3])
    #expect(g.wakeAt == nil)
    // Request 1 is not sent yet: nothing more for host a, however late.
    #expect(p.grants(now: t0 + .milliseconds(900)).granted.isEmpty)
    // Sent 100 ms after its grant: the interval counts from there.
    p.markSent(1, host: "a", at: t0 + .milliseconds(100))
    let early = p.grants(now: t0 + .milliseconds(599))
    #expect(early.granted.isEmpty)
    #expect(early.wakeAt == t0 + .milliseconds(600))
    #expect(p.grants(now: t0 + .milliseconds(600)).granted.map(\.id) == [2])
  }

  @Test func aRequestThatNeverSentDoesNotBlockItsHost() {
    var p = HostPolicy(concurrency: 10, perHostConcurrency: 5, perHostInterval: .milliseconds(500))
    p.enqueue(1, host: "a")
    p.enqueue(2, host: "a")
    #expect(p.grants(now: t0).granted.map(\.id) == [1])
    p.release(1, host: "a", sentAt: nil)
    #expect(p.grants(now: t0 + .milliseconds(500)).granted.map(\.id) == [2])
  }

  @Test func aBusyHostDoesNotBlockOthersQueuedBehindIt() {
    var p = HostPolicy(concurrency: 4, perHostConcurrency: 1, perHostInterval: .zero)
    for i in 0..<10 { p.enqueue(i, host: "slow") }
    p.enqueue(100, host: "fast")
    p.enqueue(101, host: "fast")
    #expect(p.grants(now: t0).granted.map(\.id) == [0, 100])
    p.release(100, host: "fast", sentAt: t0)
    #expect(p.grants(now: t0).granted.map(\.id) == [101])
  }

  @Test func idleHostsAreForgottenOnceTheirIntervalIsOver() {
    var p = HostPolicy(concurrency: 10, perHostConcurrency: 1, perHostInterval: .milliseconds(500))
    p.enqueue(1, host: "a")
    p.enqueue(2, host: "b")
    _ = p.grants(now: t0)
    p.release(1, host: "a", sentAt: t0)
    p.sweep(now: t0 + .milliseconds(499))
    #expect(p.trackedHosts == 2)
    p.sweep(now: t0 + .milliseconds(500))
    #expect(p.trackedHosts == 1)
  }

  @Test func hostKeyIsSchemeHostAndPort() {
    #expect(HostPolicy.hostKey(scheme: "HTTPS", host: "Example.com", port: nil) == "https://example.com:443")
    #expect(HostPolicy.hostKey(scheme: "http", host: "a", port: 8080) == "http://a:8080")
  }
}

@Suite struct RetryPolicyTests {
  @Test func onlyTransientFailuresAreRetryable() {
    #expect(RetryPolicy.isTransient(.serverError, nil))
    #expect(RetryPolicy.isTransient(.rateLimited, nil))
    #expect(RetryPolicy.isTransient(.unreachable, .timeout))
    #expect(RetryPolicy.isTransient(.unreachable, .reset))
    #expect(RetryPolicy.isTransient(.unreachable, .refused))
    for reason in [CheckReason.dns, .tls, .redirectLoop, .protocol] {
      #expect(!RetryPolicy.isTransient(.unreachable, reason))
    }
    for status in [CheckStatus.ok, .gone, .forbidden, .excluded, .blocked] {
      #expect(!RetryPolicy.isTransient(status, nil))
    }
  }

  @Test func backoffIsFullJitterUnderAGrowingCeiling() {
    let p = RetryPolicy(retries: 5, baseDelay: .milliseconds(100), maxDelay: .milliseconds(1000))
    var rng = SystemRandomNumberGenerator()
    for attempt in 0..<6 {
      let ceiling = min(1000, 100 << attempt)
      for _ in 0..<50 {
        let d = p.delay(afterAttempt: attempt, retryAfter: nil, using: &rng)
        #expect(d >= .zero && d <= .milliseconds(ceiling))
      }
    }
  }

  @Test func retryAfterReplacesBackoffUpToTheCap() {
    let p = RetryPolicy(retryAfterCap: .seconds(10))
    var rng = SystemRandomNumberGenerator()
    #expect(p.delay(afterAttempt: 0, retryAfter: .seconds(3), using: &rng) == .seconds(3))
    #expect(p.delay(afterAttempt: 0, retryAfter: .seconds(3600), using: &rng) == .seconds(10))
  }

  @Test func retryAfterParsesSecondsAndHTTPDates() {
    let now = Date(timeIntervalSince1970: 1_445_412_400)  // Wed, 21 Oct 2015 07:26:40 GMT
    #expect(RetryPolicy.parseRetryAfter("120", now: now) == .seconds(120))
    #expect(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == .seconds(80))
    #expect(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now: now) == .zero)
    #expect(RetryPolicy.parseRetryAfter("soon", now: now) == nil)
  }
}

@Suite struct StatusMappingTests {
  @Test func httpCodesMapToTheContractTable() {
    #expect(StatusMapping.classify(httpStatus: 200) == (.ok, nil))
    #expect(StatusMapping.classify(httpStatus: 204) == (.ok, nil))
    #expect(StatusMapping.classify(httpStatus: 304) == (.ok, nil))
    #expect(StatusMapping.classify(httpStatus: 404) == (.gone, nil))
    #expect(StatusMapping.classify(httpStatus: 410) == (.gone, nil))
    for c in [401, 403, 451] { #expect(StatusMapping.classify(httpStatus: c) == (.forbidden, nil)) }
    #expect(StatusMapping.classify(httpStatus: 429) == (.rateLimited, nil))
    for c in [500, 502, 503, 599] { #expect(StatusMapping.classify(httpStatus: c) == (.serverError, nil)) }
    #expect(StatusMapping.classify(httpStatus: 400) == (.blocked, .clientError))
    #expect(StatusMapping.classify(httpStatus: 422) == (.blocked, .clientError))
    #expect(StatusMapping.classify(httpStatus: 100) == (.unreachable, .protocol))
  }

  @Test func canonicalisingRedirectsAreNotRedirected() {
    #expect(StatusMapping.isTrivialRedirect(from: "http://example.com/a", to: "https://www.example.com/a/"))
    #expect(!StatusMapping.isTrivialRedirect(from: "https://example.com/a", to: "https://example.com/"))
  }
}
