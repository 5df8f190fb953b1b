// Fetcher benchmark driver (bench/fetch/run.sh runs it; not part of the product): fetches
// every URL of a file, one a line, through the configured fetcher and prints one line with
// wall time, rate, bytes and statuses.
//
//   bench-probe URLS [--config PATH] [--allow-private] [--concurrency N]
//               [--per-host-concurrency N] [--per-host-interval-ms N]
import Foundation
import SourcekeepApp
import SourcekeepCore

/// Counts outcomes without keeping their bodies.
actor Tally {
  var byStatus: [String: Int] = [:]
  var bytes = 0
  func add(_ key: String, bytes n: Int) {
    byStatus[key, default: 0] += 1
    bytes += n
  }
}

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("bench-probe: \(message)\n".utf8))
  exit(64)
}

var arguments = Array(CommandLine.arguments.dropFirst())
@MainActor func take(_ flag: String) -> String? {
  guard let i = arguments.firstIndex(of: flag) else { return nil }
  guard i + 1 < arguments.count else { fail("\(flag) needs a value") }
  defer { arguments.removeSubrange(i...(i + 1)) }
  return arguments[i + 1]
}
@MainActor func number(_ flag: String) -> Int? {
  guard let text = take(flag) else { return nil }
  guard let value = Int(text) else { fail("\(flag) \(text): not a number") }
  return value
}

let configFlag = take("--config")
let concurrency = number("--concurrency")
let perHostConcurrency = number("--per-host-concurrency")
let perHostIntervalMs = number("--per-host-interval-ms")
let allowPrivate = arguments.contains("--allow-private")
arguments.removeAll { $0 == "--allow-private" }
guard arguments.count == 1, let file = arguments.first else {
  fail("usage: bench-probe URLS [options]; see bench/probe/main.swift")
}

var config: Config
do {
  config = try ConfigLoader.load(flag: configFlag).config
} catch {
  FileHandle.standardError.write(Data("bench-probe: \(error)\n".utf8))
  exit(78)
}
if allowPrivate { config.fetch.allowPrivateNetworks = true }
if let concurrency { config.fetch.concurrency = concurrency }
if let perHostConcurrency { config.fetch.perHostConcurrency = perHostConcurrency }
if let perHostIntervalMs { config.fetch.perHostIntervalMs = perHostIntervalMs }

guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
  FileHandle.standardError.write(Data("\(file): cannot read the URL list; pass a text file with one URL a line\n".utf8))
  exit(65)
}
let fetcher: Fetcher
do {
  fetcher = try Fetcher.configured(config.fetch, label: "sourcekeep.probe")
} catch {
  FileHandle.standardError.write(Data("\(error.message)\n".utf8))
  exit(78)
}
let urls = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
let clock = ContinuousClock()
let start = clock.now
let tally = Tally()
await fetcher.fetch(urls.map { FetchRequest(url: $0) }) { _, r in
  await tally.add(r.status.rawValue + (r.reason.map { "/" + $0.rawValue } ?? ""), bytes: r.exchange?.body.count ?? 0)
}
let wall = clock.now - start
await fetcher.shutdown()
let (byStatus, bytes) = await (tally.byStatus, tally.bytes)
let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
print(
  "transfers=\(urls.count) wall_s=\(String(format: "%.3f", seconds)) "
    + "per_s=\(String(format: "%.1f", Double(urls.count) / seconds)) bytes=\(bytes) "
    + "statuses=\(byStatus.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ","))")
