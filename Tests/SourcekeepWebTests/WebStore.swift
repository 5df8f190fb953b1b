import Foundation
import SourcekeepApp
import SourcekeepCore
import SourcekeepTestSupport

/// A real store for the web tests: a loopback FixtureServer serves a few articles (one with a
/// hostile title and script, one Chinese, one that dies), a digest cites them (and a
/// `javascript:` link), and the real pipeline captures them into WARC + catalog: an ingest,
/// then a check a second later (a second capture, a revisit), then the dying page answers 404
/// and a last check records it.
final class WebStore: Sendable {
  let dir: TempDirectory
  let server: FixtureServer
  let loaded: LoadedConfig
  var config: Config { loaded.config }
  var layout: StoreLayout { StoreLayout(root: config.storage.dir) }

  static let hostileTitle = "<script>alert(1)</script>\"quoted\" \u{202E}evil"
  static let chineseText = "稀疏专家架构把长文本推理成本压到上一代的五分之一"
  static let digestName = "2026-03-09.md"

  var articleURL: String { server.url("/s/article") }
  var hostileURL: String { server.url("/s/hostile?a=1&b=%22x%22") }
  var dyingURL: String { server.url("/s/dying") }

  init(extraConfig: String = "") async throws {
    dir = TempDirectory(prefix: "sk-web")
    let server = try FixtureServer()
    self.server = server
    let articleURL = server.url("/s/article")
    let dyingURL = server.url("/s/dying")
    server.serve("/s/article", Self.page(title: "云雀-7开源", body: Self.chineseText, image: "/img/chart.png"))
    server.serve("/img/chart.png", FixtureServer.StaticPage(headers: ["Content-Type: image/png"], body: Self.png))
    server.serve(
      "/s/hostile?a=1&b=%22x%22",
      Self.page(
        title: Self.hostileTitle,
        body: "正文第一段，足够长的文字让提取器把它当作文章。<script>document.title='pwned'</script>"))
    server.serve("/s/dying", Self.page(title: "即将删除的文章", body: "这篇文章稍后会被删除，只剩下存档。"))
    let digest = """
      # AI行业速递 - 2026年03月09日

      ## 云雀-7开源：稀疏专家架构
      > **分类：** 技术前沿解读
      > **来源：** [极光视点](\(articleURL)) 、 [<b>"坏"</b>](\(server.url("/s/hostile?a=1&b=%22x%22")))

      **核心洞察：** 开源模型的竞争焦点正从榜单分数转向单位成本。

      ---

      ## 元宵红包十分钟被领空
      > **来源：** [早读研究所](\(dyingURL)) 、 [脚本](javascript:alert(1))

      """
    _ = dir.write("digests/\(Self.digestName)", digest)
    let toml =
      LoopbackConfig.toml(extra: "[health]\ndead_after_failures = 1\ndead_after = \"1s\"\n" + extraConfig)
    let path = dir.write("sourcekeep.toml", toml)
    loaded = try ConfigLoader.load(flag: path, environment: [:], systemPath: "/nonexistent")
    try FileManager.default.createDirectory(atPath: layout.root, withIntermediateDirectories: true)
    let catalog = try Catalog(path: layout.catalog)
    let journal = Journal(directory: layout.journalDirectory)
    let ingest = await Jobs.ingest(
      loaded: loaded, catalog: catalog, journal: journal, files: nil, capture: true, hooks: JobHooks())
    guard ingest.exit == .ok else { throw StoreError(text: "ingest: \(ingest.stderr)") }
    // Captures one second apart at least: Memento times have whole seconds.
    try await Task.sleep(for: .milliseconds(1100))
    var check = await Jobs.check(
      loaded: loaded, catalog: catalog, journal: journal, all: true, urls: [], hooks: JobHooks())
    guard check.exit == .ok else { throw StoreError(text: "check: \(check.stderr)") }
    server.serve("/s/dying", FixtureServer.StaticPage(status: 404, body: Array("<h1>Not Found</h1>".utf8)))
    try await Task.sleep(for: .milliseconds(1100))
    check = await Jobs.check(
      loaded: loaded, catalog: catalog, journal: journal, all: false, urls: [dyingURL], hooks: JobHooks())
    guard check.exit == .ok else { throw StoreError(text: "check: \(check.stderr)") }
    // A second failure a second later: dead (dead_after_failures = 1 and dead_after = 1s
    // count from the first failure).
    try await Task.sleep(for: .milliseconds(1100))
    check = await Jobs.check(
      loaded: loaded, catalog: catalog, journal: journal, all: false, urls: [dyingURL], hooks: JobHooks())
    guard check.exit == .ok else { throw StoreError(text: "check: \(check.stderr)") }
  }

  /// The catalog as the web view opens it: read-only.
  func readCatalog() throws -> Catalog { try Catalog.openForReading(path: layout.catalog) }

  /// A 1×1 PNG, the article's image.
  static let png: [UInt8] = [
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49,
    0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D,
    0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
  ]

  static func page(title: String, body: String, image: String? = nil) -> FixtureServer.StaticPage {
    let escapedTitle = title.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    let paragraph = String(repeating: body + "。", count: 12)
    let html = """
      <!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>\(escapedTitle)</title>
      <meta property="og:site_name" content="极光视点"></head>
      <body><article><h1>\(escapedTitle)</h1><p>\(paragraph)</p>\(image.map { "<p><img src=\"\($0)\" alt=\"图表\"></p>" } ?? "")<p>\(paragraph)</p><p>\(paragraph)</p></article>
      <script>window.archivedScriptRan = true</script></body></html>
      """
    return FixtureServer.StaticPage(body: Array(html.utf8))
  }

  struct StoreError: Error, CustomStringConvertible {
    var text: String
    var description: String { text }
  }
}
