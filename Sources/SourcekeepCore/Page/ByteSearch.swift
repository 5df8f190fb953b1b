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
