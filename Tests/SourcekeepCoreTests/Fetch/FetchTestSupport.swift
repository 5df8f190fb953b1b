import Foundation
import Logging
import SourcekeepCore
import SourcekeepTestSupport
import Testing

/// A fetcher for loopback tests: private networks allowed (only 127.x is ever contacted),
/// no interval, no retries unless the test asks, short backoff.
func loopbackFetcher(
  _ adjust: (inout FetchConfig) -> Void = { _ in }, tuning adjustTuning: (inout FetchTuning) -> Void = { _ in }
) throws -> Fetcher {
  var config = Config().fetch
  config.allowPrivateNetworks = true
  config.perHostIntervalMs = 0
  config.retries = 0
  config.connectTimeoutS = 5
  config.timeoutS = 20
  adjust(&config)
  var tuning = FetchTuning()
  tuning.backoffBase = .milliseconds(20)
  tuning.backoffMax = .milliseconds(100)
  tuning.retryAfterCap = .seconds(3)
  adjustTuning(&tuning)
  var logger = Logger(label: "sourcekeep.fetch.test")
  logger.logLevel = .warning
  return try Fetcher(config: config, tuning: tuning, logger: logger)
}

/// Fetches `url` once with a fresh fetcher and shuts it down.
func fetchOnce(
  _ url: String, _ adjust: (inout FetchConfig) -> Void = { _ in },
  tuning: (inout FetchTuning) -> Void = { _ in }, request: ((String) -> FetchRequest)? = nil
) async throws -> FetchResult {
  let fetcher = try loopbackFetcher(adjust, tuning: tuning)
  let result = await fetcher.fetch(request?(url) ?? FetchRequest(url: url))
  await fetcher.shutdown()
  return result
}

/// Open socket, epoll and eventfd descriptors of this process (what a fetcher opens;
/// regular files are left out so tests of other stages opening files do not interfere).
func openFDCount() -> Int {
  let fm = FileManager.default
  guard let fds = try? fm.contentsOfDirectory(atPath: "/proc/self/fd") else { return -1 }
  return fds.filter { fd in
    guard let target = try? fm.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)") else { return false }
    return target.hasPrefix("socket:") || target.hasPrefix("anon_inode:") || target.hasPrefix("pipe:")
  }.count
}

extension Duration {
  var ms: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }
}

/// Every test that opens sockets runs inside this suite, one at a time, so the fd-leak
/// test can count `/proc/self/fd` before and after without other tests' sockets in between.
@Suite(.serialized) struct FetchNetworkTests {}
