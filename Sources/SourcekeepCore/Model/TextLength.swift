extension String {
  /// The number of Unicode scalars: the "characters" of text lengths and soft-404
  /// thresholds. Counted on the UTF-8 bytes (every byte that does not continue a sequence
  /// starts a scalar); `count` walks grapheme clusters and `unicodeScalars.count` decodes,
  /// and both showed up in capture profiles on 60 KB texts. Written so the compiler
  /// vectorises it (a 32-bit branch-free sum: ~0.12 ns/byte against ~0.7 with a `where`).
  var scalarCount: Int {
    utf8.withContiguousStorageIfAvailable { bytes in
      var continuations: UInt32 = 0
      for b in bytes { continuations &+= (b &>> 6) == 2 ? 1 : 0 }
      return bytes.count - Int(continuations)
    } ?? unicodeScalars.count
  }
}
