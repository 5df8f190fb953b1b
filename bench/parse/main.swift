// HTML parse benchmark (not a test): CPU time to turn the 181 extraction-benchmark pages into
// what PageExtractor reads (a DOMTree without script/style content, plus the JSON-LD script
// texts) on the libxml2 tree path (HTMLDocument: htmlReadMemory, tree copy, XPath for the
// scripts) and on the SAX path (HTMLPage: one pass, no libxml2 tree).
//   make bench-parse     (or: swift build -c release --product bench-html-parse, then
//   .build/release/bench-html-parse [ROUNDS [SHARED [tree|sax]]])
// Defaults: 20 rounds, $SOURCEKEEP_SHARED or ../shared, both paths. The paths alternate round
// by round so that load from other processes falls on both alike; each round's CPU time is
// user+sys of this process (getrusage), and the median round is reported with the fastest.
// Naming one path runs only it (for valgrind or perf).
import Foundation
import SKLibXML2
import SKZlib

#if canImport(Glibc)
  import Glibc
#endif

let arguments = CommandLine.arguments
let rounds = arguments.count > 1 ? Int(arguments[1]) ?? 20 : 20
let shared =
  arguments.count > 2
  ? arguments[2] : ProcessInfo.processInfo.environment["SOURCEKEEP_SHARED"] ?? "../shared"
let only = arguments.count > 3 ? arguments[3] : nil
let folder = URL(fileURLWithPath: shared).appendingPathComponent("bench/extraction/data/html")
let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".html.gz") }
let pages = try names.sorted().map { try Inflater.decode(Array(Data(contentsOf: folder.appendingPathComponent($0)))) }
let megabytes = Double(pages.reduce(0) { $0 + $1.count }) / 1_000_000
print("\(pages.count) pages, \(String(format: "%.1f", megabytes)) MB, \(rounds) rounds")

func cpuSeconds() -> Double {
  var usage = rusage()
  getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
  func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1_000_000 }
  return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

let skipping: Set<String> = ["script", "style"]
/// Counts what each path produced, so that both are seen to do the same work.
var produced = [0, 0]
let paths: [(name: String, run: ([UInt8]) throws -> Int)] = [
  (
    "tree",
    { bytes in
      let document = try HTMLDocument.parse(bytes: bytes, encoding: "UTF-8")
      return document.tree(skippingContentOf: skipping).nodes.count
        + document.scriptTexts(typeContaining: "ld+json").count
    }
  ),
  (
    "sax",
    { bytes in
      let page = try HTMLPage.parse(bytes: bytes, encoding: "UTF-8", skippingContentOf: skipping)
      return page.tree.nodes.count + page.scriptTexts(typeContaining: "ld+json").count
    }
  ),
]

var samples: [[Double]] = [[], []]
for _ in 0..<rounds {
  for (i, path) in paths.enumerated() where only == nil || only == path.name {
    var count = 0
    let start = cpuSeconds()
    for bytes in pages { count += try path.run(bytes) }
    samples[i].append(cpuSeconds() - start)
    produced[i] = count
  }
}
for (i, path) in paths.enumerated() where !samples[i].isEmpty {
  let sorted = samples[i].sorted()
  let median = sorted[sorted.count / 2]
  print(
    "\(path.name): median \(String(format: "%.3f", median)) cpu-s per round, "
      + "fastest \(String(format: "%.3f", sorted[0])), "
      + "\(String(format: "%.2f", median * 1000 / Double(pages.count))) ms/page; \(produced[i]) nodes+scripts")
}
if !samples[0].isEmpty && !samples[1].isEmpty {
  let ratios = zip(samples[1], samples[0]).map { $0 / $1 }.sorted()
  print(String(format: "sax / tree CPU time: median of per-round ratios %.2f", ratios[ratios.count / 2]))
}
