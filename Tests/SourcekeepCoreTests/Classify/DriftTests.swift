import Foundation
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// Drift on the fixture pages: the same article re-rendered scores high, another article low.
@Suite struct DriftTests {
  func text(_ html: String, url: String = "https://mp.weixin.qq.com/s/x") throws -> String {
    try PageExtractor().extract(body: Array(html.utf8), url: url, contentType: "text/html; charset=utf-8").text
  }

  func fixture(_ name: String) throws -> String {
    String(decoding: try TestFixtures.page(name), as: UTF8.self)
  }

  @Test func theSameArticleReRenderedScoresHigh() throws {
    let original = try fixture("wechat-yunque7-chenxing.html")
    // A re-render: other counters and dates, a changed ad line, boilerplate moved around.
    var rerendered = original.replacingOccurrences(of: "2026", with: "2027")
    rerendered = rerendered.replacingOccurrences(of: "</body>", with: "<div class=\"ad\">广告：限时优惠 99 元</div></body>")
    rerendered = rerendered.replacingOccurrences(
      of: "<div id=\"js_content\"", with: "<p>阅读 100000+ 在看 3321</p><div id=\"js_content\"")
    let a = try text(original)
    let b = try text(rerendered)
    #expect(!a.isEmpty)
    let score = TextSimilarity.similarity(a, b)
    #expect(score > 0.9, "re-rendered score \(score)")
  }

  @Test func aDifferentArticleScoresLow() throws {
    let a = try text(try fixture("wechat-yunque7-chenxing.html"))
    let b = try text(try fixture("wechat-qinghe-chaoxi.html"))
    let score = TextSimilarity.similarity(a, b)
    #expect(score < 0.2, "different-article score \(score)")
  }

  @Test func reorderedParagraphsAndChangedNumbersDoNotCount() {
    let p1 = "第一段讲千问3.5的架构：混合注意力机制与极致稀疏的MoE设计，总参数量很大而激活参数很少。"
    let p2 = "第二段讲价格与部署成本，百万Tokens输入0.8元，推理吞吐量提升明显，部署成本降低。"
    let p3 = "第三段讲开源生态：Apache协议完全开源，支持主流框架部署，衍生模型数量众多。"
    let a = [p1, p2, p3].joined(separator: "\n\n")
    let b = [p3, p1, p2.replacingOccurrences(of: "0.8", with: "1.2")].joined(separator: "\n\n")
    #expect(TextSimilarity.similarity(a, b) > 0.8)
    #expect(TextSimilarity.similarity("", "") == 1)
    #expect(TextSimilarity.similarity("abc def ghi", "") == 0)
  }

  /// The shortcut for the same bytes gives what the shingles give: 1 for the same text, and
  /// texts that differ only in their bytes (NFC against NFD) still go through the shingles.
  @Test func theSameTextScoresOneAndOnlyTheSameBytesSkipTheShingles() throws {
    func jaccard(_ a: String, _ b: String) -> Double {
      let x = Set(TextSimilarity.shingles(a))
      let y = Set(TextSimilarity.shingles(b))
      return x.isEmpty && y.isEmpty ? 1 : Double(x.intersection(y).count) / Double(x.union(y).count)
    }
    let article = try text(try fixture("wechat-yunque7-chenxing.html"))
    #expect(TextSimilarity.similarity(article, article) == 1)
    #expect(
      TextSimilarity.similarity(article, String(article.dropLast())) == jaccard(article, String(article.dropLast())))
    let composed = "Café résumé naïve, 千问 déjà vu: écrit à Zürich. " + article.prefix(200)
    let decomposed = composed.decomposedStringWithCanonicalMapping
    #expect(composed == decomposed && !composed.utf8.elementsEqual(decomposed.utf8))
    let score = TextSimilarity.similarity(composed, decomposed)
    #expect(score == jaccard(composed, decomposed) && score < 1, "\(score)")
  }

  @Test func classifierMarksDriftBelowTheThresholdOnly() {
    let page = PageFacts(
      url: nil, canonicalURL: nil, title: nil, siteName: nil, publisher: nil, author: nil, published: nil,
      language: nil, description: nil, text: "完全不同的一篇文章，讲的是机器人春晚表演。", images: [], links: [], charset: "utf-8",
      soft404: nil, blocked: false)
    let drifted = Classifier.classify(
      fetchStatus: .ok, fetchReason: nil, httpStatus: 200, requestedURL: "https://a/x", finalURL: "https://a/x",
      page: page, referenceText: "千问3.5发布：极致稀疏MoE架构实现性能超越闭源模型。", driftThreshold: 0.5)
    #expect(drifted.status == .drifted)
    let same = Classifier.classify(
      fetchStatus: .ok, fetchReason: nil, httpStatus: 200, requestedURL: "https://a/x", finalURL: "https://a/x",
      page: page, referenceText: page.text, driftThreshold: 0.5)
    #expect(same.status == .ok)
    #expect(same.similarity == 1)
  }
}
