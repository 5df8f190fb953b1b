/// The byte-scanning loops that read eight bytes at a time with unaligned loads, in one place.
///
/// Why this is safe: every load reads `UInt64` through `UnsafeRawBufferPointer.loadUnaligned`
/// at an offset `i` with `i + 8 <= count` (checked by the loop condition before the load), from
/// storage that `withUnsafeBytes` / `withContiguousStorageIfAvailable` keeps alive and
/// unmodified for the duration of the closure; `loadUnaligned` has no alignment requirement and
/// `UInt64` is a trivial type, so any bit pattern is a valid value. The pointers never escape
/// the closures. The tails (fewer than eight bytes) are read one byte at a time. The results
/// only depend on the set of bytes read, never on the machine's byte order (the tests compare
/// each function with a byte-at-a-time version on random input). `@inlinable` so the capture
/// hot paths (text lengths, charset sniffing) compile as if the loops were written in place.
public enum UnalignedBytes {
  /// The top bit of each of eight bytes.
  @usableFromInline static var highBits: UInt64 { 0x8080_8080_8080_8080 }

  /// The number of bytes of the form 10xxxxxx (UTF-8 continuation bytes) in `raw`.
  @inlinable
  public static func continuationCount(_ raw: UnsafeRawBufferPointer) -> Int {
    var continuations = 0
    var i = 0
    while i + 8 <= raw.count {
      let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
      // A continuation byte has its top bit set and the next bit clear.
      continuations += (word & highBits & ~(word << 1)).nonzeroBitCount
      i += 8
    }
    while i < raw.count {
      if raw[i] & 0xC0 == 0x80 { continuations += 1 }
      i += 1
    }
    return continuations
  }

  /// The number of Unicode scalars in `string`, counted on its UTF-8 bytes (every byte that
  /// does not continue a sequence starts a scalar); no copy when the string is native.
  @inlinable
  public static func scalarCount(of string: String) -> Int {
    string.utf8.withContiguousStorageIfAvailable { bytes in
      bytes.count - continuationCount(UnsafeRawBufferPointer(bytes))
    } ?? string.unicodeScalars.count
  }

  /// Whether `bytes` contains the byte `value`, eight bytes at a time (the byte loop of
  /// `firstIndex(of:)` was not vectorised: 1.8 % of `extract` for the NUL check of every page).
  @inlinable
  public static func contains(_ value: UInt8, in bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { b in
      let n = b.count
      let ones: UInt64 = 0x0101_0101_0101_0101
      let pattern = UInt64(value) &* ones
      var i = 0
      while i + 8 <= n {
        // `word` has a zero byte (a byte equal to `value` before the xor) exactly when this is
        // nonzero: a borrow only starts at a zero byte.
        let word = b.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ pattern
        if (word &- ones) & ~word & highBits != 0 { return true }
        i += 8
      }
      while i < n {
        if b[i] == value { return true }
        i += 1
      }
      return false
    }
  }

  /// The offset of the first byte at or after `start` that is below `limit` or equal to
  /// `value`, or `raw.count` when there is none; eight bytes at a time while a word has neither
  /// (the SAX session's check of script text, docs/performance.md#script-and-style-taken-at-once-2026-12-07-ninth-sitting).
  /// `limit` is at most 0x80, where the word test is exact.
  @inlinable
  public static func firstIndex(
    ofByteBelow limit: UInt8, orEqualTo value: UInt8, in raw: UnsafeRawBufferPointer, from start: Int
  ) -> Int {
    assert(limit <= 0x80, "firstIndex(ofByteBelow:) needs a limit of at most 0x80")
    let ones: UInt64 = 0x0101_0101_0101_0101
    let below = UInt64(limit) &* ones
    let pattern = UInt64(value) &* ones
    var i = start
    while i + 8 <= raw.count {
      let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
      let equal = word ^ pattern
      // A borrow out of a byte starts only at a byte below `limit` (or, after the xor, at a
      // zero byte: one equal to `value`), as in `contains`.
      if ((word &- below) & ~word | (equal &- ones) & ~equal) & highBits != 0 { break }
      i += 8
    }
    while i < raw.count {
      if raw[i] < limit || raw[i] == value { return i }
      i += 1
    }
    return raw.count
  }

  /// Whether `bytes` are well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF),
  /// skipping ASCII eight bytes at a time.
  @inlinable
  public static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { b in
      let n = b.count
      var i = 0
      while i < n {
        // ASCII fast path: eight bytes at a time.
        if i + 8 <= n {
          let word = b.loadUnaligned(fromByteOffset: i, as: UInt64.self)
          if word & highBits == 0 {
            i += 8
            continue
          }
        }
        let c = b[i]
        if c < 0x80 {
          i += 1
          continue
        }
        // The three-byte scalars with no range of their own (most of CJK text), in one test:
        // 13 % less time on the capture benchmark's mixed Chinese and English pages, 25 % on
        // the extraction benchmark's real ones.
        if c >= 0xE1, c <= 0xEF, c != 0xED, i + 2 < n, b[i + 1] & 0xC0 == 0x80, b[i + 2] & 0xC0 == 0x80 {
          i += 3
          continue
        }
        var need = 0
        var lo: UInt8 = 0x80
        var hi: UInt8 = 0xBF
        switch c {
        case 0xC2...0xDF: need = 1
        case 0xE0:
          need = 2
          lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: need = 2
        case 0xED:
          need = 2
          hi = 0x9F
        case 0xF0:
          need = 3
          lo = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4:
          need = 3
          hi = 0x8F
        default: return false
        }
        if i + need >= n { return false }
        let b1 = b[i + 1]
        if b1 < lo || b1 > hi { return false }
        var k = 2
        while k <= need {
          if b[i + k] & 0xC0 != 0x80 { return false }
          k += 1
        }
        i += need + 1
      }
      return true
    }
  }

  /// Whether every byte of `raw` is ASCII (below 0x80), eight bytes at a time.
  @inlinable
  public static func isASCII(_ raw: UnsafeRawBufferPointer) -> Bool {
    var i = 0
    while i + 8 <= raw.count {
      if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & highBits != 0 { return false }
      i += 8
    }
    while i < raw.count {
      if raw[i] >= 0x80 { return false }
      i += 1
    }
    return true
  }

  /// A `String` of `bytes`, which the caller knows to be well-formed UTF-8, copied without
  /// validating them again.
  ///
  /// Why: `String(decoding:as:)` validates every byte, and on CJK text that is most of the cost
  /// of making the string (about 1.8 ms per MB against 0.4 ms for this copy and its ASCII test,
  /// docs/performance.md#text-already-validated). The parser's text comes from input that
  /// `Charset.decode` validated, and `collapse` only drops whole scalars from a `String`, so
  /// checking again proves nothing. Passing bytes that are not UTF-8 is undefined behaviour, so
  /// debug builds (the tests) still validate and stop at the first caller that breaks the rule.
  @inlinable
  public static func string(validUTF8 bytes: UnsafeBufferPointer<UInt8>) -> String {
    assert(String(validating: bytes, as: UTF8.self) != nil, "string(validUTF8:) was given bytes that are not UTF-8")
    // The ASCII flag is what validation would have set: strings known ASCII take fast paths.
    let ascii = isASCII(UnsafeRawBufferPointer(bytes))
    return unsafe String(copying: UTF8Span(unchecked: bytes.span, isKnownASCII: ascii))
  }

  /// `string(validUTF8:)` of an array.
  @inlinable
  public static func string(validUTF8 bytes: [UInt8]) -> String {
    bytes.withUnsafeBufferPointer { string(validUTF8: $0) }
  }
}
