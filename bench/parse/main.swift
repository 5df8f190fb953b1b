// HTML parse benchmark (not a test): CPU time to turn the 181 extraction-benchmark pages into
// what PageExtractor reads (a DOMTree without script/style content, plus the JSON-LD script
// texts) on the libxml2 tree path (HTMLDocument: htmlReadMemory, tree copy, XPath for the
// scripts) and on the SAX path (HTMLPage: one pass, no libxml2 tree), and on the SAX path as
// PageExtractor calls it (`sax-utf8`: the pages made UTF-8 as Charset.decode makes them, then
// `validUTF8: true`, which takes script and style content at once).
//   make bench-parse     (or: swift build -c release --product bench-html-parse, then
//   .build/release/bench-html-parse [ROUNDS [SHARED [tree|sax]]])
// Defaults: 20 rounds, $SOURCEKEEP_SHARED or ../shared, both paths. The paths alternate round
// by round so that load from other processes falls on both alike; each round's CPU time is
// user+sys of this process (getrusage), and the median round is reported with the fastest.
// Naming one path (tree, sax, sax-utf8) runs only it (for valgrind or perf).
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
// As Charset.decode leaves them: invalid sequences repaired, NULs dropped.
let utf8Pages = pages.map { Array(String(decoding: $0, as: UTF8.self).utf8).filter { $0 != 0 } }
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
var produced = [0, 0, 0]
let paths: [(name: String, run: (Int) throws -> Int)] = [
  (
    "tree",
    { index in
      let bytes = pages[index]
      let document = try HTMLDocument.parse(bytes: bytes, encoding: "UTF-8")
      return document.tree(skippingContentOf: skipping).nodes.count
        + document.scriptTexts(typeContaining: "ld+json").count
    }
  ),
  (
    "sax",
    { index in
      let page = try HTMLPage.parse(bytes: pages[index], encoding: "UTF-8", skippingContentOf: skipping)
      return page.tree.nodes.count + page.scriptTexts(typeContaining: "ld+json").count
    }
  ),
  (
    "sax-utf8",
    { index in
      let page = try HTMLPage.parse(
        bytes: utf8Pages[index], encoding: "UTF-8", skippingContentOf: skipping, validUTF8: true)
      return page.tree.nodes.count + page.scriptTexts(typeContaining: "ld+json").count
    }
  ),
]

var samples: [[Double]] = [[], [], []]
for _ in 0..<rounds {
  for (i, path) in paths.enumerated() where only == nil || only == path.name {
    var count = 0
    let start = cpuSeconds()
    for index in pages.indices { count += try path.run(index) }
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
for (a, b) in [(1, 0), (2, 1)] where !samples[a].isEmpty && !samples[b].isEmpty {
  let ratios = zip(samples[a], samples[b]).map { $0 / $1 }.sorted()
  print(
    String(
      format: "\(paths[a].name) / \(paths[b].name) CPU time: median of per-round ratios %.2f", ratios[ratios.count / 2])
  )
}
