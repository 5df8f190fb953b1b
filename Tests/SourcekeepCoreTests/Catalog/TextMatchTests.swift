import Testing

@testable import SourcekeepCore

/// The byte matcher behind short-query search and snippets, checked against a plain scan.
@Suite struct TextMatchTests {
  func naive(_ query: String, _ text: String) -> Range<Int>? {
    let n = Array(query.lowercased().utf8)
    let t = Array(text.utf8).map(TextMatch.fold)
    guard n.count <= t.count else { return nil }
    for i in 0...(t.count - n.count) where Array(t[i..<(i + n.count)]) == n { return i..<(i + n.count) }
    return nil
  }

  @Test func findsTheFirstMatchLikeAPlainScan() {
    let cases: [(String, String)] = [
      ("aab", "aaab"), ("abc", "abc"), ("c", "abc"), ("abcd", "abc"), ("千问", "阿里发布千问3.5，千问"),
      ("问3", "阿里发布千问3.5"), ("MoE", "稀疏moe架构"), ("ai", "DeepSeek AI"), ("鲸", "阿里发布千问"), ("é", "Café"),
    ]
    for (query, text) in cases {
      #expect(TextMatch(query).firstRange(in: Array(text.utf8)) == naive(query, text), "\(query) in \(text)")
    }
    // Random texts over a small alphabet, so matches and near-matches are frequent.
    var rng = SystemRandomNumberGenerator()
    let alphabet = ["a", "B", "b", "千", "问", "3", "，"]
    for _ in 0..<500 {
      let text = (0..<Int.random(in: 0...40, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
      let query = (0..<Int.random(in: 1...4, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
      #expect(TextMatch(query).firstRange(in: Array(text.utf8)) == naive(query, text), "\(query) in \(text)")
    }
  }

  @Test func snippetsMarkTheMatchAndCutWithEllipses() {
    #expect(Catalog.snippet("abcdef", around: "CD", radius: 1) == "…b[cd]e…")
    #expect(Catalog.snippet("abcdef", around: "ab", radius: 2) == "[ab]cd…")
    #expect(Catalog.snippet("千问3.5发布", around: "3.5", radius: 10) == "千问[3.5]发布")
    // Beyond ASCII: the fallback.
    #expect(Catalog.snippet("ÉCOLE normale", around: "école", radius: 3) == "[ÉCOLE] no…")
    #expect(Catalog.snippet("abcdef", around: "xyz", radius: 2) == "abcd…")  // no match: the start
    #expect(Catalog.snippet("abc", around: "xyz", radius: 2) == "abc")
  }
}
