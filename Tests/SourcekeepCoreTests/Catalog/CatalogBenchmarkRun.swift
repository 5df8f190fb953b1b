import Foundation
import SourcekeepTestSupport
import Testing

/// Runs CatalogBenchmark and prints its figures; only with SOURCEKEEP_CATALOG_BENCH=1
/// (bench/catalog/run.sh), as a benchmark is not a test and takes minutes.
@Suite struct CatalogBenchmarkRun {
  static let env = ProcessInfo.processInfo.environment

  /// Per corpus: two queries for the index (3+ characters), two for the scan, the last of
  /// each pair found nowhere (the scan then reads every body).
  static let queries: [BenchCorpus.Kind: [String]] = [
    .farm: ["稀疏注意力", "MODEL", "千问", "鲸鲨"], .locale: ["文件系统", "无法打开", "目录", "鲸鲨"],
  ]

  @Test(.enabled(if: env["SOURCEKEEP_CATALOG_BENCH"] == "1"))
  func catalogBenchmark() throws {
    let docs = Int(Self.env["DOCS"] ?? "") ?? 2000
    let batch = Int(Self.env["BATCH"] ?? "") ?? 8
    // bench/catalog/run.sh names BENCH_DIR and removes it; without it, a folder of the test's own.
    let scratch = Self.env["BENCH_DIR"] == nil ? TempDirectory(prefix: "sk-catalog-bench") : nil
    defer { withExtendedLifetime(scratch) {} }
    let dir = Self.env["BENCH_DIR"] ?? scratch?.path ?? ""
    let kinds = (Self.env["CORPUS"] ?? "farm,locale").split(separator: ",").compactMap {
      BenchCorpus.Kind(rawValue: String($0))
    }
    var bench = CatalogBenchmark(documents: docs, batch: batch, directory: dir)
    bench.textBatch = Int(Self.env["TEXT_BATCH"] ?? "") ?? bench.textBatch
    for kind in kinds {
      let corpus = try BenchCorpus(kind)
      let name = kind.rawValue
      if Self.env["LEVELS"] != "0" {
        for l in try bench.compression(corpus, levels: [1, 2, 3, 4, 6, 9], documents: 200) {
          print(
            String(
              format: "bench: %@ zlib level %d: compress %.3f ms/doc, inflate %.3f ms/doc, size %.3f of plain",
              name, l.level, l.compressMs, l.inflateMs, l.ratio))
        }
      }
      let r = try bench.insert(corpus, queries: Self.queries[kind] ?? [])
      print(
        String(
          format:
            "bench: %@ insert %d docs (batch %d, texts indexed %d at a time): CPU %.2f s = %.2f ms/doc, wall %.2f s, catalog %.1f MB",
          name, docs, batch, bench.textBatch, r.cpuSeconds, r.cpuSeconds * 1000 / Double(docs), r.wallSeconds,
          Double(r.fileBytes) / 1_048_576))
      for (q, hits, ms) in r.searches {
        print(String(format: "bench: %@ search %@: %d hits in %.1f ms", name, q, hits, ms))
      }
      print(String(format: "bench: %@ peak RSS of the test process %.0f MB", name, Double(r.peakRSSBytes) / 1_048_576))
      print("bench: \(name) catalog at \(r.path)")
    }
  }
}
