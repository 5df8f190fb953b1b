import Foundation
import Testing

@testable import SourcekeepCore

/// `web.public_url`: every format points at `<public_url>/web/<14-digit time>/<url>`, JSON
/// `snapshot.url` carries it (null without), and the HTML report and the Markdown repair add
/// Robust Links attributes. Only http(s) URLs become links.
@Suite struct PublicURLReportTests {
  static let base = "https://archive.example.org/"
  static let deadCopy = "https://archive.example.org/web/20260110090000/https://mp.weixin.qq.com/s/old-dead"

  func model(_ filter: ReportFilter = ReportFilter(), publicURL: String? = base) throws -> ReportModel {
    var model = try ReportFixture().model(filter)
    model.publicURL = publicURL
    return model
  }

  @Test func jsonSnapshotURLIsTheWebAddressOrNull() throws {
    for (publicURL, expected) in [(Self.base, JSONValue.string(Self.deadCopy)), (nil, JSONValue.null)] {
      let json = try #require(JSONValue.parse(JSONReport.render(try model(publicURL: publicURL))))
      guard case .array(let links)? = json["links"] else {
        Issue.record("no links")
        return
      }
      let dead = try #require(links.first { $0["url"]?.stringValue == "https://mp.weixin.qq.com/s/old-dead" })
      #expect(dead["snapshot"]?["url"] == expected)
      // The contract's fields are all still there, in order, before it.
      if case .object(let members)? = dead["snapshot"] {
        #expect(
          members.map(\.0) == [
            "captured_at", "warc_file", "warc_offset", "payload_digest", "title", "truncated", "requisites",
            "readable", "url", "command",
          ])
      }
      let pending = try #require(links.first { $0["url"]?.stringValue == "https://mp.weixin.qq.com/s/pending" })
      #expect(pending["snapshot"] == .null)
    }
  }

  @Test func textAndCSVGiveTheWebAddressWhole() throws {
    let text = TextReport.render(try model())
    #expect(text.contains("  " + Self.deadCopy + "\n"))
    #expect(!text.contains("#offset="))
    let csv = CSVReport.render(try model())
    #expect(csv.contains("," + Self.deadCopy + ",sourcekeep show 'https://mp.weixin.qq.com/s/old-dead'\r\n"))
    #expect(csv.contains(",warc/sourcekeep-20260110-00001.warc.gz,1234,"))  // the WARC columns stay
  }

  @Test func markdownRepairCarriesRobustLinks() throws {
    let text = MarkdownReport.render(try model(ReportFilter(digest: "2026-02-17")))
    #expect(
      text.contains(
        "~~<a href=\"https://mp.weixin.qq.com/s/old-dead\" data-versiondate=\"2026-01-10T09:00:00Z\" "
          + "data-versionurl=\"\(Self.deadCopy)\">量子位</a>~~"))
    #expect(
      text.contains(
        "archived 2026-01-10 09:00 UTC <a href=\"\(Self.deadCopy)\" data-originalurl=\"https://mp.weixin.qq.com/s/old-dead\" "
          + "data-versiondate=\"2026-01-10T09:00:00Z\" data-versionurl=\"\(Self.deadCopy)\">archived copy</a>"))
    // Alive links stay plain Markdown; the summary table links the copy in Markdown.
    #expect(text.contains("[极客公园](https://mp.weixin.qq.com/s/geek) 、"))
    #expect(text.contains("[archived copy](\(Self.deadCopy))"))
    #expect(!text.contains("warcio extract"))
  }

  @Test func htmlLinksTheCopyWithRobustLinksAndOnlyWebURLs() throws {
    let html = HTMLReport.render(try model())
    #expect(
      html.contains(
        "<a href=\"\(Self.deadCopy)\" data-originalurl=\"https://mp.weixin.qq.com/s/old-dead\" "
          + "data-versiondate=\"2026-01-10T09:00:00Z\" data-versionurl=\"\(Self.deadCopy)\"><code>"))
    #expect(
      html.contains(
        "<a href=\"https://mp.weixin.qq.com/s/old-dead\" data-versiondate=\"2026-01-10T09:00:00Z\" "
          + "data-versionurl=\"\(Self.deadCopy)\">"))
    #expect(!html.contains("file://"))
    for href in html.components(separatedBy: "href=\"").dropFirst() {
      #expect(href.hasPrefix("https://") || href.hasPrefix("http://"), "\(href.prefix(40))")
    }
  }

  @Test func aPublicURLThatIsNotWebFallsBackToThePointer() throws {
    for bad in ["javascript:alert(1)//", "https://archive.example.org/\u{7}x", ""] {
      let text = TextReport.render(try model(publicURL: bad))
      #expect(text.contains("warc/sourcekeep-20260110-00001.warc.gz#offset=1234"), "\(bad)")
      #expect(!HTMLReport.render(try model(publicURL: bad)).contains("javascript:"))
    }
  }
}
