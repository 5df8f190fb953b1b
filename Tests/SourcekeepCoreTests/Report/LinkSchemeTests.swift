import Foundation
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// Only http(s) URLs become links in a report (issue #13, Medium 5; docs/design.md#security): a
/// `javascript:` or `data:` citation is shown as text, never as an `href` or a Markdown link.
@Suite struct LinkSchemeTests {
  static let hostile = [
    "javascript:alert(document.domain)", "JaVaScRiPt:alert(1)", "data:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox", "file:///etc/passwd",
  ]

  func model(_ filter: ReportFilter = ReportFilter()) throws -> (ReportModel, TempDirectory) {
    let dir = TempDirectory()
    let catalog = try Catalog(path: dir.path + "/catalog.sqlite")
    let sources = (Self.hostile.enumerated().map { "[坏\($0.offset)](\($0.element))" } + ["[好](https://example.com/a)"])
      .joined(separator: " 、 ")
    let digest = "# 🤖 AI行业速递 - 2026年02月17日\n\n## 一条新闻\n\n> **来源：** \(sources)\n\n"
    _ = try catalog.registerDigest(
      try DigestReader().read(dir.write("2026-02-17.md", digest)), at: Timestamp.parse("2026-02-17T07:00:00Z")!)
    var model = try catalog.reportModel(filter: filter, now: Timestamp.parse("2026-02-18T12:00:00Z")!)
    model.storageDir = "/srv/sourcekeep-data"
    return (model, dir)
  }

  @Test func theCatalogHoldsTheHostileCitations() throws {
    let (model, _) = try model()
    let urls = Set(model.links.map(\.url))
    #expect(urls.contains("https://example.com/a"))
    #expect(urls.contains { $0.lowercased().hasPrefix("javascript:") }, "\(urls)")
    #expect(urls.contains { $0.hasPrefix("data:") }, "\(urls)")
  }

  @Test func htmlReportLinksOnlyHttpURLs() throws {
    let (model, _) = try model()
    let html = HTMLReport.render(model).lowercased()
    #expect(html.contains("href=\"https://example.com/a\""))
    for scheme in ["javascript:", "data:", "vbscript:", "file:///etc"] {
      #expect(!html.contains("href=\"\(scheme)"), "\(scheme) rendered as a link")
    }
    // Still shown, as text.
    #expect(html.contains("javascript:alert(document.domain)"))
  }

  @Test func markdownReportAndDigestRepairLinkOnlyHttpURLs() throws {
    for filter in [ReportFilter(), ReportFilter(digest: "2026-02-17")] {
      let (model, _) = try model(filter)
      let md = MarkdownReport.render(model).lowercased()
      #expect(md.contains("](https://example.com/a)"))
      for scheme in ["javascript:", "<javascript:", "data:", "<data:", "vbscript:", "file:///etc"] {
        #expect(!md.contains("](\(scheme)"), "\(scheme) rendered as a Markdown link")
      }
      #expect(!md.contains("<javascript:"))
    }
  }
}
