/// How alike two main texts are, from 0 (nothing shared) to 1 (same text): the Jaccard
/// similarity of their character 5-gram shingle sets.
///
/// Why this measure: character shingles need no word segmentation (Chinese has no spaces);
/// a set ignores the order of blocks, so reordered boilerplate does not count; digits are
/// dropped before shingling so changed counters, dates and view counts do not count; and a
/// changed ad or caption touches only its own few shingles. Exact sets are cheap at article
/// size (a 20,000-character article has ≤ 20,000 hashes), so no MinHash approximation is needed.
public enum TextSimilarity {
  /// Shingle length in characters.
  public static let shingle = 5

  public static func similarity(_ a: String, _ b: String) -> Double {
    let x = shingles(a)
    let y = shingles(b)
    if x.isEmpty && y.isEmpty { return 1 }
    if x.isEmpty || y.isEmpty { return 0 }
    let common = x.intersection(y).count
    return Double(common) / Double(x.count + y.count - common)
  }

  /// Hashed shingles of the normalised text.
  public static func shingles(_ text: String) -> Set<UInt64> {
    var chars: [Character] = []
    chars.reserveCapacity(text.count)
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
    guard chars.count >= shingle else { return chars.isEmpty ? [] : [hash(chars[...])] }
    var out = Set<UInt64>()
    out.reserveCapacity(chars.count)
    for i in 0...(chars.count - shingle) { out.insert(hash(chars[i..<(i + shingle)])) }
    return out
  }

  /// FNV-1a over the UTF-8 of the characters: stable across runs (Swift's Hasher is seeded).
  private static func hash(_ s: ArraySlice<Character>) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for ch in s {
      for b in ch.utf8 {
        h ^= UInt64(b)
        h = h &* 0x100_0000_01b3
      }
    }
    return h
  }
}
