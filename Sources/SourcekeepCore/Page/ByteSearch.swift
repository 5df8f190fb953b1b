/// Substring search on UTF-8 bytes.
///
/// Why: on Linux `String.contains(String)` goes through Foundation's NSString and cost a
/// quarter of all extraction time in profiles; class/id hints and page-wide phrase checks
/// run it thousands of times per page. Byte search is exact for UTF-8 needles.
extension String {
  /// Whether `needle` occurs in this string (byte-exact, case-sensitive).
  func includes(_ needle: String) -> Bool {
    var hay = self
    var n = needle
    return hay.withUTF8 { h in
      n.withUTF8 { nb in
        let count = nb.count
        if count == 0 { return true }
        if h.count < count { return false }
        let first = nb[0]
        var i = 0
        let last = h.count - count
        while i <= last {
          if h[i] == first {
            var j = 1
            while j < count && h[i + j] == nb[j] { j += 1 }
            if j == count { return true }
          }
          i += 1
        }
        return false
      }
    }
  }
}

/// A fixed set of byte patterns searched in one pass (first-byte table).
///
/// Why: every element's class/id hint is tested against ~40 boilerplate fragments; one
/// pass per hint instead of one search per fragment keeps the scorer off the profile.
struct PatternSet: Sendable {
  private let byFirstByte: [[[UInt8]]]

  init(_ patterns: [String]) {
    var table = [[[UInt8]]](repeating: [], count: 256)
    for p in patterns where !p.isEmpty {
      let bytes = Array(p.utf8)
      table[Int(bytes[0])].append(bytes)
    }
    byFirstByte = table
  }

  /// Whether any (lower-case) pattern occurs in `s`, ignoring ASCII case.
  func matches(_ s: String) -> Bool { matches(s, atWordStart: false) }

  /// Whether any (lower-case) pattern starts a word of `s`, ignoring ASCII case: after a byte
  /// that is not a letter or digit, or at a lower-to-upper-case step. "header" matches
  /// "header-top", "site_header" and "siteHeader" but not "subheaderimage" or "thead".
  func matchesWord(_ s: String) -> Bool { matches(s, atWordStart: true) }

  private func matches(_ s: String, atWordStart: Bool) -> Bool {
    var s = s
    return s.withUTF8 { h in
      let n = h.count
      var i = 0
      while i < n {
        let first = Self.lower(h[i])
        let candidates = byFirstByte[Int(first)]
        if !candidates.isEmpty
          && (!atWordStart || i == 0 || !Self.isWordByte(h[i - 1])
            || (Self.isUpper(h[i]) && h[i - 1] >= 0x61 && h[i - 1] <= 0x7A))
        {
          for p in candidates where p.count <= n - i {
            var j = 1
            while j < p.count && Self.lower(h[i + j]) == p[j] { j += 1 }
            if j == p.count { return true }
          }
        }
        i += 1
      }
      return false
    }
  }

  @inline(__always) static func isUpper(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }
  @inline(__always) static func lower(_ c: UInt8) -> UInt8 { isUpper(c) ? c | 0x20 : c }
  @inline(__always) static func isWordByte(_ c: UInt8) -> Bool {
    (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A)
  }
}

/// A fixed set of whole words, matched against the words of a class/id hint ("ad" in
/// "top-ad banner" but not in "header"), ignoring ASCII case, without splitting the hint
/// into strings.
struct WordSet: Sendable {
  private let words: [[UInt8]]

  init(_ words: [String]) { self.words = words.map { Array($0.utf8) } }

  /// Whether a word of `s` (words end at a space, tab, line break, `-` or `_`) is in the set.
  func containsWord(of s: String) -> Bool {
    var s = s
    return s.withUTF8 { h in
      let n = h.count
      var start = 0
      while start < n {
        var end = start
        while end < n && !Self.isSeparator(h[end]) { end += 1 }
        let length = end - start
        if length > 0 {
          for w in words where w.count == length {
            var j = 0
            while j < length && PatternSet.lower(h[start + j]) == w[j] { j += 1 }
            if j == length { return true }
          }
        }
        start = end + 1
      }
      return false
    }
  }

  @inline(__always) static func isSeparator(_ c: UInt8) -> Bool {
    c == 0x20 || c == 0x2D || c == 0x5F || c == 0x09 || c == 0x0A || c == 0x0D
  }
}
