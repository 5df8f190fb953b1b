import Foundation
import Testing
import SourcekeepTestSupport
import SourcekeepCore

/// `sourcekeep extract` on the shared fixture pages, as a user runs it.
@Suite struct ExtractCLITests {
  let runner = CommandRunner(workingDirectory: NSTemporaryDirectory())

  @Test func extractPrintsTheContractJSONForOnePage() throws {
    let page = SharedFixtures.url("fixtures/pages/wechat-qwen35-qbitai.html").path
    let result = try runner.run(["extract", page, "--url", "https://mp.weixin.qq.com/s/O-bvK51Hgt9eLQsPrKz5ow"])
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(JSONValue.parse(result.stdout))
    for key in [
      "url", "canonical_url", "title", "site_name", "publisher", "author", "published", "language", "description",
      "text", "images", "links", "charset", "soft404", "blocked",
    ] {
      #expect(json[key] != nil, "extract JSON lacks \(key)")
    }
    #expect(json["publisher"] == "量子位")
    #expect(json["published"]?.stringValue?.hasSuffix("+08:00") == true)
    #expect(json["soft404"] == .null)
    let text = try runner.run(["extract", page, "--format", "text"])
    #expect(text.status == 0)
    #expect(text.stdout.contains("千问"))
  }

  @Test func jsonlReadsManyFilesAndKeepsGoingPastABadOne() throws {
    let pages = ["wechat-deleted.html", "generic-404-200.html", "36kr-qianwen-freebie-gbk.html"].map {
      SharedFixtures.url("fixtures/pages/" + $0).path
    }
    let result = try runner.run(["extract", "--jsonl"] + pages + ["/nonexistent/page.html"])
    let lines = result.stdout.split(separator: "\n").map { JSONValue.parse(String($0)) }
    #expect(lines.count == 4)
    #expect(lines[0]?["soft404"]?["reason"] == "deleted")
    #expect(lines[1]?["soft404"]?["reason"] == "not-found")
    #expect(lines[2]?["charset"]?.stringValue?.contains("gb") == true)
    #expect(lines[3]?["error"] != nil)
  }

  @Test func aMissingFileIsBadInput() throws {
    let result = try runner.run(["extract", "/nonexistent/page.html"])
    #expect(result.status == 65)
    #expect(result.stderr.contains("/nonexistent/page.html"))
  }
}
