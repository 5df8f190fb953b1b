import Foundation
import SKLibXML2
import Testing

@testable import SourcekeepCore

/// Every report format over one real catalog (`ReportFixture`): golden files for text,
/// Markdown and CSV; the JSON contract fields; the HTML parsed back with libxml2.
@Suite struct ReportRendererTests {
  @Test func textReportMatchesItsGoldenFile() throws {
    let text = TextReport.render(try ReportFixture().model())
    #expect(text == (try Golden.expected("report.txt", actual: text)))
  }

  @Test func textReportFitsEightyColumnsAndColoursOnlyWhenAsked() throws {
    let model = try ReportFixture().model()
    let plain = TextReport.render(model)
    for line in plain.split(separator: "\n") {
      #expect(TextReport.columns(String(line)) <= 80, "too wide: \(line)")
    }
    #expect(!plain.contains("\u{1B}["))
    let coloured = TextReport.render(model, colour: true)
    #expect(coloured.contains("\u{1B}[31;1mDEAD"))
  }

  @Test func textReportListsEveryNonAliveLinkWithCitationsAndArchive() throws {
    let text = TextReport.render(try ReportFixture().model())
    #expect(text.contains("NEEDS ATTENTION — 6 of 9 links not alive"))
    #expect(text.contains("DEAD     gone · HTTP 404 · 4 checks"))
    #expect(text.contains("cited 2026-01-10 · 量子位 · 旧闻：大模型发布潮"))
    #expect(text.contains("first failure 2026-01-20 08:00 UTC · dead since 2026-01-22 09:00 UTC"))
    #expect(text.contains("warc/sourcekeep-20260110-00001.warc.gz#offset=1234"))
  }

  @Test func markdownReportMatchesItsGoldenFile() throws {
    let text = MarkdownReport.render(try ReportFixture().model())
    #expect(text == (try Golden.expected("report.md", actual: text)))
  }

  @Test func markdownDigestReproductionMatchesItsGoldenFile() throws {
    let text = MarkdownReport.render(try ReportFixture().model(ReportFilter(digest: "2026-02-17")))
    #expect(text == (try Golden.expected("digest-2026-02-17.md", actual: text)))
  }

  @Test func markdownDigestMarksBrokenCitationsAndPointsAtTheirArchive() throws {
    let text = MarkdownReport.render(try ReportFixture().model(ReportFilter(digest: "2026-02-17")))
    // The source line keeps the digest's order and shape; broken links are marked in place.
    #expect(
      text.contains(
        "> **来源：** [极客公园](https://mp.weixin.qq.com/s/geek) 、 [量子位](https://mp.weixin.qq.com/s/qbit) ⚠️ 、 "
          + "[赛博禅心](https://mp.weixin.qq.com/s/cyber) ⚠️"))
    #expect(
      text.contains(
        "- **量子位** failing · soft-404 (deleted) · HTTP 200 · first failure 2026-02-18 08:01 UTC · "
          + "archived 2026-02-17 08:01 UTC [`warc/sourcekeep-20260217-00001.warc.gz#offset=2000`]"
          + "(file:///srv/sourcekeep-data/warc/sourcekeep-20260217-00001.warc.gz)"))
    // A drifted link points at the capture that preserves what was cited: the first one.
    #expect(text.contains("**赛博禅心** drifted · drifted · HTTP 200 · archived 2026-02-17 08:02 UTC"))
    #expect(text.contains("**36氪** unknown · blocked · HTTP 200 · no archived copy"))
    #expect(text.contains("、 ~~[量子位](https://mp.weixin.qq.com/s/old-dead)~~"))
    #expect(
      text.contains(
        "- **量子位** dead · gone · HTTP 404 · first failure 2026-01-20 08:00 UTC · dead since 2026-01-22 09:00 UTC · "
          + "archived 2026-01-10 09:00 UTC"))
    #expect(!text.contains("2026-01-10 · 量子位"))  // other digests' citations stay out
    #expect(!text.contains("**智能涌现**"))  // a pending link has nothing to repair yet

    let all = MarkdownReport.render(try ReportFixture().model())
    #expect(all.contains("| dead | [mp.weixin.qq.com/s/old-dead](https://mp.weixin.qq.com/s/old-dead) |"))
    #expect(!all.contains("— sources checked"))  // the reproduction needs --digest
  }

  @Test func csvReportMatchesItsGoldenFileWithOneRowPerLink() throws {
    let model = try ReportFixture().model()
    let text = CSVReport.render(model)
    #expect(text == (try Golden.expected("report.csv", actual: text)))
    let rows = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
    #expect(rows.count == model.links.count + 1)
    #expect(rows.first == CSVReport.columns.joined(separator: ","))
  }

  @Test func csvQuotesFieldsTheWayRFC4180Says() {
    #expect(CSVReport.field("plain") == "plain")
    #expect(CSVReport.field("a,b") == "\"a,b\"")
    #expect(CSVReport.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
    #expect(CSVReport.field("two\nlines") == "\"two\nlines\"")
    #expect(CSVReport.field("千问3.5发布：极致") == "千问3.5发布：极致")
  }

  @Test func jsonReportKeepsTheContractFieldsAndAddsRot() throws {
    let model = try ReportFixture().model()
    let json = try #require(JSONValue.parse(JSONReport.render(model)))
    #expect(json["schema"] == "sourcekeep.report/1")
    #expect(json["generated_at"] == "2026-02-18T12:00:00.000Z")
    let summary = try #require(json["summary"])
    for key in ["digests", "citations", "links", "by_state", "by_status"] { #expect(summary[key] != nil, "\(key)") }
    #expect(summary["by_state"]?["dead"] == 1)
    #expect(summary["by_state"]?["failing"] == 2)
    guard case .array(let links)? = json["links"] else { throw Failure("links is not an array") }
    #expect(links.count == 9)
    let contractLinkKeys = [
      "url", "final_url", "state", "status", "reason", "http_status", "checks", "consecutive_failures", "first_seen",
      "last_checked", "last_ok", "dead_since", "citations", "snapshot",
    ]
    for link in links {
      for key in contractLinkKeys { #expect(link[key] != nil, "link lacks \(key)") }
    }
    let dead = try #require(links.first { $0["state"] == "dead" })
    #expect(dead["snapshot"]?["warc_offset"] == 1234)
    for key in ["captured_at", "warc_file", "warc_offset", "payload_digest", "title", "truncated"] {
      #expect(dead["snapshot"]?[key] != nil, "snapshot lacks \(key)")
    }
    guard case .array(let citations)? = dead["citations"] else { throw Failure("citations is not an array") }
    for key in ["digest", "digest_date", "entry", "publisher"] { #expect(citations.first?[key] != nil) }
    #expect(json["publishers"] != nil)
    #expect(json["domains"] != nil)
    let firstBucket = try #require(
      json["rot"]?["buckets"].flatMap { if case .array(let a) = $0 { a.first } else { nil } })
    #expect(firstBucket["links_at_least"] == 7)
    #expect(firstBucket["alive_at_least"] == 3)
  }

  @Test func htmlReportParsesBackWithThreeChartsAndNoExternalAssets() throws {
    let html = HTMLReport.render(try ReportFixture().model())
    if let path = ProcessInfo.processInfo.environment["SOURCEKEEP_REPORT_HTML"] {
      try Data(html.utf8).write(to: URL(fileURLWithPath: path))  // `make report-screenshot`
    }
    let doc = try HTMLDocument.parse(bytes: Array(html.utf8))
    #expect(doc.elements(xpath: "//svg").count >= 3)
    #expect(doc.elements(xpath: "//meta[@name='viewport']").count == 1)
    #expect(doc.elements(xpath: "//style").count == 1)
    #expect(doc.elements(xpath: "//script").isEmpty)
    #expect(doc.elements(xpath: "//link").isEmpty)
    for e in doc.elements(xpath: "//*[@src]") {
      #expect(!(e.attributes["src"] ?? "").contains("http"), "external asset: \(e.attributes)")
    }
    // Every http(s) href is a cited link; the rest point at archived WARC files.
    let cited = Set(try ReportFixture().model().links.map(\.url))
    for e in doc.elements(xpath: "//a[@href]") {
      let href = e.attributes["href"] ?? ""
      #expect(cited.contains(href) || href.hasPrefix("file:///srv/sourcekeep-data/warc/"), "unexpected href \(href)")
    }
    let tables = doc.elements(xpath: "//div[@class='scroll']/table")
    #expect(tables.count >= 5)
    let deadBadge = doc.elements(xpath: "//span[@class='badge']").filter { $0.text == "dead" }
    #expect(deadBadge.count == 1)
    #expect(html.contains("warc/sourcekeep-20260110-00001.warc.gz#offset=1234"))
  }

  /// On a desktop a chart is drawn at most at its own size, so its labels (font-size in
  /// viewBox units) are never larger on screen than the smallest heading (h3, 1rem = 16 px).
  @Test func chartLabelsAreNeverDrawnLargerThanTheHeadings() throws {
    let html = HTMLReport.render(try ReportFixture().model())
    let doc = try HTMLDocument.parse(bytes: Array(html.utf8))
    let charts = doc.elements(xpath: "//svg")
    #expect(charts.count >= 3)
    for svg in charts {
      let box = (svg.attributes["viewbox"] ?? svg.attributes["viewBox"] ?? "").split(separator: " ")
      let viewWidth = try #require(box.count == 4 ? Double(box[2]) : nil, "viewBox: \(svg.attributes)")
      let style = svg.attributes["style"] ?? ""
      let maxWidth = try #require(
        style.firstMatch(of: #/max-width:(\d+)px/#).flatMap { Double($0.1) }, "no max-width: \(style)")
      let font = try #require(Double(svg.attributes["font-size"] ?? ""), "font-size: \(svg.attributes)")
      #expect(font * maxWidth / viewWidth <= 16, "labels drawn at \(font * maxWidth / viewWidth) px")
    }
  }
}

/// A test failure with a message, for `throw` inside `guard`.
struct Failure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
