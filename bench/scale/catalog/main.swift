// A synthetic catalog for bench/scale/run.sh (not a test): LINKS cited links over a year of
// digests, each with its checks and snapshots, built through the catalog's own public API
// (`registerDigest` per digest, `recordChecks` in batches of 2,000: the group-commit path
// `ingest now` and `check now` use). Snapshots point at one made-up WARC location: the
// report and status read the catalog only (`verify` at this size is left out). Exactly DUE
// links are due: the first DUE (5 % of them pending, never checked); the rest next week.
//
// Usage: bench-scale-catalog DIR LINKS FARM_BASE DUE
//   DIR: the store folder (catalog.sqlite goes there); FARM_BASE: `http://127.0.0.71:18493`;
//   the links are FARM_BASE/a/N, so `check now` can fetch them; DUE: how many are due now.
import Foundation
import SourcekeepCore

let arguments = CommandLine.arguments
guard arguments.count == 5, let total = Int(arguments[2]), let due = Int(arguments[4]) else {
  FileHandle.standardError.write(Data("usage: bench-scale-catalog DIR LINKS FARM_BASE DUE\n".utf8))
  exit(64)
}
let dir = arguments[1]
let base = arguments[3]
try FileManager.default.createDirectory(atPath: dir + "/digests", withIntermediateDirectories: true)
let catalog = try Catalog(path: dir + "/catalog.sqlite")
let reader = DigestReader()
let perDigest = 100
let digests = (total + perDigest - 1) / perDigest
let start = Timestamp.parse("2025-02-18T00:00:00Z")!
let publishers = (0..<400).map { "公众号\($0)" }
let wall = Date()

// A year of digests (about 2,700 links a day), 100 citations each in entries of 10.
for d in 0..<digests {
  let day = start.addingTimeInterval(Double(d * 365 / max(digests, 1)) * 86_400)
  let date = String(Timestamp.string(day).prefix(10))
  let parts = date.split(separator: "-")
  var text = "# 🤖 AI行业速递 - \(parts[0])年\(parts[1])月\(parts[2])日\n\n"
  for e in 0..<(perDigest / 10) {
    text += "## 条目 \(d)-\(e)\n\n> **来源：** "
    let links = (0..<10).map { d * perDigest + e * 10 + $0 }.filter { $0 < total }
    text += links.map { "[\(publishers[$0 % publishers.count])](\(base)/a/\($0))" }.joined(separator: " 、 ")
    text += "\n\n"
  }
  let path = dir + "/digests/\(date)-\(d).md"
  try text.write(toFile: path, atomically: false, encoding: .utf8)
  _ = try catalog.registerDigest(try reader.read(path), at: day)
  try FileManager.default.removeItem(atPath: path)
  if d % 1000 == 999 { print("digests \(d + 1)/\(digests) \(Int(Date().timeIntervalSince(wall))) s") }
}

// Checks and snapshots: link ids follow citation order (1…total), as `registerDigest` inserts them.
let machine = LinkStateMachine(deadAfterFailures: 3, deadAfter: 48 * 3600)
let now = Date()
var batch: [(check: CheckRecord, snapshot: SnapshotRecord?)] = []
func snapshot(_ n: Int, _ at: Date, _ status: CheckStatus) -> SnapshotRecord {
  SnapshotRecord(
    capturedAt: at, status: status, httpStatus: 200, finalURL: nil, recordType: "response",
    location: WARCFile.Location(file: "warc/synthetic-00001.warc.gz", offset: Int64(n % 1000) * 9_000, length: 9_000),
    metadataOffset: nil, payloadDigest: "sha1:SYNTHETIC\(n % 1000)", title: "第\(n)篇 测试文章", publisher: "Farm",
    author: nil, published: nil, truncated: false, text: nil)
}
func flush(_ batch: inout [(check: CheckRecord, snapshot: SnapshotRecord?)]) throws {
  guard !batch.isEmpty else { return }
  _ = try catalog.recordChecks(batch, machine: machine) { _, check, _ in
    // The first DUE links are due now; the rest next week.
    check.linkID <= Int64(due) ? now.addingTimeInterval(-60) : now.addingTimeInterval(7 * 86_400)
  }
  batch.removeAll(keepingCapacity: true)
}
for n in 0..<total {
  let id = Int64(n + 1)
  let day = start.addingTimeInterval(Double((n / perDigest) * 365 / max(digests, 1)) * 86_400 + 3600)
  func check(_ days: Double, _ status: CheckStatus, http: Int, capture: Bool = false) {
    let at = day.addingTimeInterval(days * 86_400)
    batch.append(
      (
        CheckRecord(linkID: id, checkedAt: at, status: status, httpStatus: http),
        capture ? snapshot(n, at, status) : nil
      ))
  }
  switch n % 20 {
  case 0:  // dead: captured, then gone three times over four days
    check(0, .ok, http: 200, capture: true)
    check(10, .gone, http: 404)
    check(12, .gone, http: 404)
    check(14, .gone, http: 404)
  case 1:  // failing
    check(0, .ok, http: 200, capture: true)
    check(3, .serverError, http: 503)
  case 2:  // drifted, with a second capture
    check(0, .ok, http: 200, capture: true)
    check(5, .drifted, http: 200, capture: true)
  case 3: check(0, .blocked, http: 200)  // unknown
  // pending: never checked, so due now. Only among the first DUE links, so that exactly DUE
  // links are due (with 5 % pending among them the 300,000-link run once checked 16,000
  // links, not the 1,000 its label said: docs/performance.md#scale); later ones are alive.
  case 4 where id <= Int64(due): break
  case 4:
    check(0, .ok, http: 200, capture: true)
    check(30, .ok, http: 200)
  default:  // alive: captured, re-checked unchanged
    check(0, .ok, http: 200, capture: true)
    check(30, .ok, http: 200)
  }
  if batch.count >= 2_000 { try flush(&batch) }
  if n % 100_000 == 99_999 { print("links \(n + 1)/\(total) \(Int(Date().timeIntervalSince(wall))) s") }
}
try flush(&batch)
let totals = try catalog.totals()
print(
  "synthetic catalog: \(totals.digests) digests, \(totals.citations) citations, \(totals.links) links "
    + "in \(Int(Date().timeIntervalSince(wall))) s")
