import Foundation

/// Finds a query in UTF-8 text the way the search always has: A–Z equal a–z (as in SQLite's
/// LIKE and the trigram index), every other character compared exactly.
///
/// Works on bytes so scanning decompressed bodies builds no `String` per article. A match
/// always starts on a character: the query starts with a lead or ASCII byte, which never
/// equals a UTF-8 continuation byte, and folding touches ASCII letters only.
/// Boyer–Moore–Horspool: a short-query search scans every body, and in Chinese text the
/// first byte of a query (a lead byte, E4–E9) is every third byte, so trying each position
/// wastes most comparisons; skipping on the last byte of the window does not.
struct TextMatch: Sendable {
  private let needle: [UInt8]
  /// How far the window may move when its last byte (folded) is this one.
  private let shift: [Int]
  /// The query has letters with case beyond ASCII (É, Я), which the trigram index folds and
  /// this byte matcher does not: callers then also try a case-insensitive `String` search.
  let foldsBeyondASCII: Bool

  init(_ query: String) {
    foldsBeyondASCII = query.unicodeScalars.contains { !$0.isASCII && $0.properties.changesWhenCaseMapped }
    needle = query.utf8.map(Self.fold)
    var shift = [Int](repeating: needle.count, count: 256)
    for (i, byte) in needle.dropLast().enumerated() { shift[Int(byte)] = needle.count - 1 - i }
    self.shift = shift
  }

  /// Whether `text` holds the query.
  func contains(_ text: [UInt8]) -> Bool { firstRange(in: text) != nil }

  /// The byte range of the first match in `text`, or nil.
  func firstRange(in text: [UInt8]) -> Range<Int>? {
    let n = needle.count
    guard let lastByte = needle.last else { return 0..<0 }
    var i = 0
    while i + n <= text.count {
      let byte = Self.fold(text[i + n - 1])
      if byte == lastByte {
        var j = n - 2
        while j >= 0, Self.fold(text[i + j]) == needle[j] { j -= 1 }
        if j < 0 { return i..<(i + n) }
      }
      i += shift[Int(byte)]
    }
    return nil
  }

  static func fold(_ byte: UInt8) -> UInt8 {
    (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
  }
}

extension Catalog {
  /// `radius` characters either side of the first match of `query` in `text`, the match in
  /// brackets and `…` where text was cut; the start of `text` when it does not contain
  /// `query` (the article matched on its title or publisher).
  static func snippet(_ text: String, around query: String, radius: Int = 24) -> String {
    let utf8 = Array(text.utf8)
    var match: Range<String.Index>?
    if let bytes = TextMatch(query).firstRange(in: utf8) {
      let start = text.utf8.index(text.startIndex, offsetBy: bytes.lowerBound)
      match = start..<text.utf8.index(start, offsetBy: bytes.count)
    } else {
      // The index also folds case beyond ASCII (É, Я): find such a match for the snippet.
      match = text.range(of: query, options: .caseInsensitive)
    }
    guard let r = match else {
      let head = text.prefix(radius * 2)
      return head + (head.endIndex < text.endIndex ? "…" : "")
    }
    let start = text.index(r.lowerBound, offsetBy: -radius, limitedBy: text.startIndex) ?? text.startIndex
    let end = text.index(r.upperBound, offsetBy: radius, limitedBy: text.endIndex) ?? text.endIndex
    return (start > text.startIndex ? "…" : "") + text[start..<r.lowerBound] + "[" + text[r] + "]"
      + text[r.upperBound..<end] + (end < text.endIndex ? "…" : "")
  }
}
