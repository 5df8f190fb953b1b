import Testing

@testable import SourcekeepCore

/// The scalar-level shingling against its plain definition over Characters and Sets of
/// strings: lowercase, numbers dropped, runs of whitespace/punctuation/symbols one space.
@Suite struct TextSimilarityTests {
  func reference(_ a: String, _ b: String) -> Double {
    func shingles(_ text: String) -> Set<String> {
      var chars: [Character] = []
      var lastWasSpace = true
      for ch in text.lowercased() {
        if ch.isNumber { continue }
        if ch.isWhitespace || ch.isPunctuation || ch.isSymbol {
          if !lastWasSpace { chars.append(" ") }
          lastWasSpace = true
        } else {
          chars.append(ch)
          lastWasSpace = false
        }
      }
      guard chars.count >= 5 else { return chars.isEmpty ? [] : [String(chars)] }
      return Set((0...(chars.count - 5)).map { String(chars[$0..<($0 + 5)]) })
    }
    let x = shingles(a)
    let y = shingles(b)
    if x.isEmpty && y.isEmpty { return 1 }
    if x.isEmpty || y.isEmpty { return 0 }
    let common = x.intersection(y).count
    return Double(common) / Double(x.count + y.count - common)
  }

  @Test func agreesWithThePlainDefinition() {
    var rng = SystemRandomNumberGenerator()
    // Letters in both cases, numbers of three scripts, CJK, punctuation and symbols of both
    // widths, whitespace; a small alphabet so that texts share shingles.
    let alphabet = [
      "a", "B", "b", "千", "问", "模", "3", "３", "三", "，", "。", ",", "!", "¥", "+", " ", "\n", "\u{3000}", "É", "é", "「",
    ]
    for _ in 0..<400 {
      let a = (0..<Int.random(in: 0...60, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
      var b = a
      for _ in 0..<Int.random(in: 0...6, using: &rng) {
        b.insert(
          Character(alphabet.randomElement(using: &rng)!),
          at: b.index(b.startIndex, offsetBy: Int.random(in: 0...b.count, using: &rng)))
      }
      #expect(TextSimilarity.similarity(a, b) == reference(a, b), "\(a) | \(b)")
    }
  }

  @Test func shinglesAreSortedAndDistinct() {
    let s = TextSimilarity.shingles(String(repeating: "千问大模型发布了，", count: 20))
    #expect(s == s.sorted())
    #expect(Set(s).count == s.count)
    // One shingle per position of the period: 问大模型发布了 and a space (the comma); 千 has a
    // numeric value (1000), so it goes with the digits.
    #expect(s.count == 8)
  }
}
