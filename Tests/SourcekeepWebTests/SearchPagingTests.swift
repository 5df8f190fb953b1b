import Foundation
import Testing

@testable import SourcekeepCore
@testable import SourcekeepWeb

/// `/search?q=` pages of 20 (docs/design.md#web-view): the route asks the catalog for one page
/// and one more hit, so the page knows whether a next one exists.
@Suite("Search paging")
struct SearchPagingTests {
  static func hits(_ n: Int) -> [SearchHit] {
    (0..<n).map { i in
      SearchHit(
        url: "https://mp.weixin.qq.com/s/\(i)", title: "第\(i)篇 <b>", publisher: "量子位", citedPublishers: ["量子位"],
        digestDates: ["2026-02-17"], capturedAt: "2026-02-17T08:00:00.000Z", snippet: "…把[推理成本]压到…",
        state: "alive", linkID: Int64(i))
    }
  }

  @Test func pagesOfTwentyWithNextAndPrevious() {
    // Page 1 of 25 hits: the route hands 21 (20 and one more).
    let first = SearchPage.render(query: "推理成本", page: 1, hits: Self.hits(21), states: [:])
    #expect(first.components(separatedBy: "<div class=\"hit\">").count - 1 == 20)
    #expect(first.contains("href=\"/search?q=%E6%8E%A8%E7%90%86%E6%88%90%E6%9C%AC&amp;page=2\">next →</a>"))
    #expect(!first.contains("← previous"))
    #expect(first.contains("<mark>推理成本</mark>"))
    #expect(first.contains("第0篇 &lt;b&gt;"))
    // Page 2: the last five, a link back, no next.
    let second = SearchPage.render(query: "推理成本", page: 2, hits: Self.hits(5), states: [:])
    #expect(second.components(separatedBy: "<div class=\"hit\">").count - 1 == 5)
    #expect(second.contains("&amp;page=1\">← previous</a>"))
    #expect(!second.contains("next →"))
  }

  @Test func noHitsSaysSoWithTheQueryEscaped() {
    let page = SearchPage.render(query: "<script>\u{202E}", page: 1, hits: [], states: [:])
    #expect(page.contains("No archived article contains “&lt;script&gt;[U+202E]”."))
    #expect(!page.contains("<script>"))
  }
}
