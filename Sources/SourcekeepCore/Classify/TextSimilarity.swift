/// How alike two main texts are, from 0 (nothing shared) to 1 (same text): the Jaccard
/// similarity of their character 5-gram shingle sets.
///
/// Why this measure: character shingles need no word segmentation (Chinese has no spaces);
/// a set ignores the order of blocks, so reordered boilerplate does not count; digits are
/// dropped before shingling so changed counters, dates and view counts do not count; and a
/// changed ad or caption touches only its own few shingles. Exact sets are cheap at article
/// size (a 20,000-character article has ≤ 20,000 hashes), so no MinHash approximation is needed.
///
/// Every re-check of a captured link runs this on two whole articles, so it works on Unicode
/// scalars with a per-call cache of each scalar's class, not on grapheme clusters, whose
/// Unicode property look-ups would dominate the cost of `check now --all`.
public enum TextSimilarity {
  /// Shingle length in characters.
  public static let shingle = 5

  public static func similarity(_ a: String, _ b: String) -> Double {
    // The same text, byte for byte (an unchanged page's re-check, the common case): 1 without
    // shingling. Shingling and sorting were a quarter of `check now --all`'s CPU
    // (docs/performance.md#what-a-re-check-adds).
    if a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8) { return 1 }
    let x = shingles(a)
    let y = shingles(b)
    if x.isEmpty && y.isEmpty { return 1 }
    if x.isEmpty || y.isEmpty { return 0 }
    // Both sorted and distinct: one merge counts what they share.
    var common = 0
    var i = 0
    var j = 0
    while i < x.count && j < y.count {
      if x[i] == y[j] {
        common += 1
        i += 1
        j += 1
      } else if x[i] < y[j] {
        i += 1
      } else {
        j += 1
      }
    }
    return Double(common) / Double(x.count + y.count - common)
  }

  /// The normalised text's shingle hashes, sorted, each once. Normalising lowers case, drops
  /// numbers (any scalar with a numeric value: 3, ３, 三) and turns each run of whitespace,
  /// punctuation and symbols into one space.
  public static func shingles(_ text: String) -> [UInt64] {
    var classes = ScalarClasses()
    var window: [UInt32] = []
    var hashes: [UInt64] = []
    var lastWasSpace = true
    for scalar in text.unicodeScalars {
      let kept = classes.normalised(scalar)
      if kept == ScalarClasses.dropped { continue }
      if kept == ScalarClasses.space {
        if lastWasSpace { continue }
        lastWasSpace = true
      } else {
        lastWasSpace = false
      }
      if window.count == shingle { window.removeFirst() }
      window.append(kept)
      if window.count == shingle { hashes.append(hash(window)) }
    }
    if !window.isEmpty && window.count < shingle { hashes.append(hash(window)) }  // a text shorter than a shingle
    hashes.sort()
    var distinct = 0
    for h in hashes where distinct == 0 || hashes[distinct - 1] != h {
      hashes[distinct] = h
      distinct += 1
    }
    hashes.removeLast(hashes.count - distinct)
    return hashes
  }

  /// A 64-bit mix of up to five scalars (21 bits each), stable across runs (Swift's Hasher
  /// is seeded per process).
  private static func hash(_ window: [UInt32]) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for s in window {
      h = (h ^ UInt64(s)) &* 0x9E37_79B9_7F4A_7C15
      h ^= h >> 29
    }
    return h
  }
}

/// What each scalar becomes in a normalised text, cached: an article uses a few thousand
/// distinct scalars, and each Unicode property look-up costs more than the shingling itself.
struct ScalarClasses {
  static let dropped: UInt32 = 0xFFFF_FFFF
  static let space: UInt32 = 0x20

  private var keys = [UInt32](repeating: 0xFFFF_FFFF, count: 4096)
  private var values = [UInt32](repeating: 0, count: 4096)

  /// `dropped` for numbers, `space` for whitespace, punctuation and symbols, else the
  /// scalar lowered (its one-scalar lowercase mapping; longer mappings keep the scalar).
  mutating func normalised(_ scalar: Unicode.Scalar) -> UInt32 {
    let v = scalar.value
    if v < 0x80 {
      switch v {
      case 0x30...0x39: return Self.dropped
      case 0x41...0x5A: return v | 0x20
      case 0x61...0x7A: return v
      case 0x09...0x0D, 0x20...0x7E: return Self.space  // whitespace, punctuation, symbols
      default: return v  // other control characters: neither of the above, as before
      }
    }
    let slot = Int(v & 4095)
    if keys[slot] == v { return values[slot] }
    let value = Self.classify(scalar)
    keys[slot] = v
    values[slot] = value
    return value
  }

  static func classify(_ scalar: Unicode.Scalar) -> UInt32 {
    let p = scalar.properties
    if p.numericType != nil { return dropped }
    if p.isWhitespace { return space }
    switch p.generalCategory {
    case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
      .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
      return space
    default: break
    }
    if p.changesWhenLowercased, let lower = p.lowercaseMapping.unicodeScalars.first,
      p.lowercaseMapping.unicodeScalars.count == 1
    {
      return lower.value
    }
    return scalar.value
  }
}
