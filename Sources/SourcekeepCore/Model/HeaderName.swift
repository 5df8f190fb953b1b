extension StringProtocol {
  /// Whether `self` and `other` are the same header name: equal but for the case of ASCII
  /// letters (RFC 9110 §5.1; WARC header names are tokens too). Byte by byte, because every
  /// WARC record and HTTP head of a capture looks its headers up this way, and Foundation's
  /// `caseInsensitiveCompare` (full Unicode folding) showed in the capture profile.
  func equalsHeaderName(_ other: some StringProtocol) -> Bool {
    let a = utf8
    let b = other.utf8
    guard a.count == b.count else { return false }
    for (x, y) in zip(a, b) where x != y {
      // Only letters differ by 0x20 and fold to the same lowercase letter.
      guard x | 0x20 == y | 0x20, (0x61...0x7A).contains(x | 0x20) else { return false }
    }
    return true
  }
}
