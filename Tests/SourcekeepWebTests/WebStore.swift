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
    server.serve("/s/article", Self.page(title: "云雀-7开源", body: Self.chineseText, images: Self.articleImages))
    server.serve("/img/chart.png", FixtureServer.StaticPage(headers: ["Content-Type: image/png"], body: Self.png))
    server.serve("/img/pixel.png", FixtureServer.StaticPage(headers: ["Content-Type: image/png"], body: Self.png))
    server.serve("/img/gone.png", FixtureServer.StaticPage(status: 404, body: Array("no such image".utf8)))
    server.serve(
      "/s/hostile?a=1&b=%22x%22",
      Self.page(
        title: Self.hostileTitle,
        body:
          "正文第一段，足够长的文字让提取器把它当作文章。<a href=\"javascript:alert(2)\">点我</a>"
          + "<a href=\"data:text/html,x\">数据</a><script>document.title='pwned'</script>"))
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
      LoopbackConfig.toml(
        extra: "[health]\ndead_after_failures = 1\ndead_after = \"1s\"\n" + extraConfig, requisites: true)
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

  /// The article's images: a chart the capture archives, a tracking pixel it skips (1×1 by its
  /// attributes, docs/design.md#page-requisites) and one that answers 404.
  static let articleImages = [
    "<img src=\"/img/chart.png\" alt=\"图表\">", "<img src=\"/img/pixel.png\" width=\"1\" height=\"1\" alt=\"\">",
    "<img src=\"/img/gone.png\" alt=\"已删除的图\">",
  ]

  /// A 40×30 PNG (one colour), the article's chart.
  static let png: [UInt8] = [
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x28, 0x00, 0x00, 0x00, 0x1E, 0x08, 0x02, 0x00, 0x00, 0x00, 0xD1, 0xBF, 0xCB, 0x8A, 0x00, 0x00, 0x00, 0x2C, 0x49,
    0x44, 0x41, 0x54, 0x78, 0xDA, 0xED, 0xCD, 0x31, 0x0D, 0x00, 0x00, 0x08, 0x03, 0xB0, 0xC9, 0x41, 0x04, 0xFE, 0x83,
    0x2C, 0x64, 0xC0, 0xD1, 0xA4, 0x7F, 0x33, 0x5D, 0x27, 0x22, 0x16, 0x8B, 0xC5, 0x62, 0xB1, 0x58, 0x2C, 0x16, 0x8B,
    0xC5, 0xE2, 0xBF, 0xF1, 0x02, 0x5C, 0x67, 0x7E, 0x8C, 0x34, 0x67, 0xBC, 0xE9, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
  ]

  static func page(title: String, body: String, images: [String] = []) -> FixtureServer.StaticPage {
    let escapedTitle = title.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    let paragraph = String(repeating: body + "。", count: 12)
    let html = """
      <!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>\(escapedTitle)</title>
      <meta property="og:site_name" content="极光视点"></head>
      <body><article><h1>\(escapedTitle)</h1><p>\(paragraph)</p>\(images.map { "<p>\($0)</p>" }.joined())<p>\(paragraph)</p><p>\(paragraph)</p></article>
      <script>window.archivedScriptRan = true</script></body></html>
      """
    return FixtureServer.StaticPage(body: Array(html.utf8))
  }

  struct StoreError: Error, CustomStringConvertible {
    var text: String
    var description: String { text }
  }
}
