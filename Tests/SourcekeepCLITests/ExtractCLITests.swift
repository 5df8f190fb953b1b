import Foundation
import SourcekeepCore
import SourcekeepTestSupport
import Testing

/// `sourcekeep extract` on the project's fixture pages, as a user runs it.
@Suite struct ExtractCLITests {
  let tmp = TempDirectory(prefix: "sk-extract")
  var runner: CommandRunner { CommandRunner(workingDirectory: tmp.path) }

  @Test func anArchiveIsRefusedWithTheCommandThatReadsIt() throws {
    let warc = tmp.write("a.warc.gz", bytes: [0x1F, 0x8B, 0x08, 0x00] + Array(repeating: 0xAB, count: 64))
    let plain = tmp.write("b.warc", "WARC/1.1\r\nWARC-Type: warcinfo\r\n\r\n")
    for file in [warc, plain] {
      let result = try runner.run(["extract", file])
      #expect(result.status == 65, "\(result.stdout)")
      #expect(result.stdout.isEmpty, "no bytes of the archive are printed")
      #expect(
        result.stderr.contains("not a saved page") && result.stderr.contains("sourcekeep show"), "\(result.stderr)")
    }
  }

  @Test func extractPrintsTheContractJSONForOnePage() throws {
    let article = try FixtureSite().page("wechat-yunque7-chenxing.html")
    let page = TestFixtures.url("pages/" + article.file).path
    let result = try runner.run(["extract", page, "--url", "https://mp.weixin.qq.com" + article.url])
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(JSONValue.parse(result.stdout))
    for key in [
      "url", "canonical_url", "title", "site_name", "publisher", "author", "published", "language", "description",
      "text", "images", "links", "charset", "soft404", "blocked",
    ] {
      #expect(json[key] != nil, "extract JSON lacks \(key)")
    }
    #expect(json["publisher"] == .string(article.publisher))
    #expect(json["published"]?.stringValue?.hasSuffix("+08:00") == true)
    #expect(json["soft404"] == .null)
    let text = try runner.run(["extract", page, "--format", "text"])
    #expect(text.status == 0)
    #expect(text.stdout.contains("云雀-7"))
  }

  @Test func jsonlReadsManyFilesAndKeepsGoingPastABadOne() throws {
    let pages = ["wechat-deleted.html", "generic-404-200.html", "news-hongbao-chaoxi-gbk.html"].map {
      TestFixtures.url("pages/" + $0).path
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
