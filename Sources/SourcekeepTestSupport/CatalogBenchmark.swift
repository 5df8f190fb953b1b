import Foundation
import Glibc
import SKZlib
import SourcekeepCore

/// What the catalog costs per archived article: CPU per inserted document, file size, search
/// time. Not a test (no thresholds); bench/catalog/run.sh runs it and prints the figures.
///
/// Only the catalog is exercised: snapshots point at made-up WARC locations, so what is
/// measured is `recordChecks` (the group-commit path `ingest now` uses) on real SQLite files.
public struct CatalogBenchmark: Sendable {
  public var documents: Int
  /// Snapshots per transaction; the archive sink commits whatever finished meanwhile.
  public var batch: Int
  public var directory: String
  /// Texts queued before the full-text index takes them (the archive sink's 64; 1: each
  /// commit indexes its own, as before the queue).
  public var textBatch: Int = 64

  public init(documents: Int, batch: Int, directory: String) {
    self.documents = documents
    self.batch = batch
    self.directory = directory
  }

  public struct Insert: Sendable {
    public var cpuSeconds: Double
    public var wallSeconds: Double
    public var fileBytes: Int64
    public var peakRSSBytes: Int64
    /// Query, hits, milliseconds.
    public var searches: [(String, Int, Double)]
    public var path: String
  }

  /// Inserts `documents` articles of `corpus` into a fresh catalog in `directory`.
  public func insert(_ corpus: BenchCorpus, queries: [String]) throws -> Insert {
    let root = directory + "/" + corpus.kind.rawValue
    try? FileManager.default.removeItem(atPath: root)
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    // An entry per 100 links: a digest line is capped at 64 KiB (DigestReader).
    var digest = "# bench 2026年02月17日\n"
    for i in 0..<documents {
      if i % 100 == 0 { digest += "\n## 基准 \(i / 100)\n> **来源：** " }
      digest += "[p\(i)](http://bench.invalid/a/\(i)) 、 "
    }
    try (digest + "\n").write(toFile: root + "/2026-02-17.md", atomically: true, encoding: .utf8)
    let path = root + "/catalog.sqlite"
    var cpu = 0.0
    var wall = 0.0
    var searches: [(String, Int, Double)] = []
    // A scope of its own: the catalog closes at its end, so SQLite checkpoints and removes the
    // WAL and the file size is the catalog's own.
    do {
      let catalog = try Catalog(path: path)
      _ = try catalog.registerDigest(try DigestReader().read(root + "/2026-02-17.md"))
      let links = try catalog.linksToCapture()
      let machine = LinkStateMachine(deadAfterFailures: 3, deadAfter: 0)
      var queued = 0
      for start in stride(from: 0, to: links.count, by: batch) {
        let items = links[start..<min(start + batch, links.count)].enumerated().map { offset, link in
          let n = start + offset
          let check = CheckRecord(linkID: link.id, checkedAt: Date(), status: .ok, httpStatus: 200)
          let snapshot = SnapshotRecord(
            capturedAt: Date(), status: .ok, httpStatus: 200, finalURL: nil, recordType: "response",
            location: WARCFile.Location(file: "warc/bench.warc.gz", offset: Int64(n) * 30_000, length: 30_000),
            metadataOffset: nil, payloadDigest: "sha1:BENCH\(n)", title: corpus.title(n), publisher: "Farm",
            author: nil, published: nil, truncated: false, text: corpus.article(n))
          return (check: check, snapshot: Optional(snapshot))
        }
        let (c0, w0) = (Self.cpuSeconds(), Date())
        _ = try catalog.recordChecks(items, machine: machine) { _, _, _ in nil }
        // As the archive sink does: the queued texts go into the full-text index a batch at a
        // time, and whatever is left at the end.
        queued += items.count
        if queued >= textBatch || start + batch >= links.count {
          try catalog.indexQueuedTexts()
          queued = 0
        }
        cpu += Self.cpuSeconds() - c0
        wall += Date().timeIntervalSince(w0)
      }
      for query in queries {
        let w0 = Date()
        let hits = try catalog.search(query, limit: 50).count
        searches.append((query, hits, Date().timeIntervalSince(w0) * 1000))
      }
    }
    let size = [path, path + "-wal"].reduce(Int64(0)) { total, file in
      total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int64) ?? 0)
    }
    return Insert(
      cpuSeconds: cpu, wallSeconds: wall, fileBytes: size, peakRSSBytes: Self.peakRSS(), searches: searches, path: path)
  }

  public struct Level: Sendable {
    public var level: Int32
    public var compressMs: Double
    public var inflateMs: Double
    public var ratio: Double
  }

  /// Per-document compress and inflate CPU and compressed/plain size, for each zlib level.
  public func compression(_ corpus: BenchCorpus, levels: [Int32], documents: Int) throws -> [Level] {
    let texts = (0..<documents).map { Array(corpus.article($0).utf8) }
    let plain = texts.reduce(0) { $0 + $1.count }
    return try levels.map { level in
      let c0 = Self.cpuSeconds()
      let packed = try texts.map { try GzipMember.compress($0, level: level) }
      let c1 = Self.cpuSeconds()
      for member in packed { _ = try Inflater.decodeMember(member, at: 0) }
      let c2 = Self.cpuSeconds()
      let n = Double(documents)
      return Level(
        level: level, compressMs: (c1 - c0) * 1000 / n, inflateMs: (c2 - c1) * 1000 / n,
        ratio: Double(packed.reduce(0) { $0 + $1.count }) / Double(plain))
    }
  }

  /// User + system CPU of the whole process (SQLite runs on GRDB's writer thread).
  static func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
      + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
  }

  static func peakRSS() -> Int64 {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int64(usage.ru_maxrss) * 1024
  }
}
