extension String {
  /// The number of Unicode scalars: the "characters" of text lengths and soft-404
  /// thresholds. Counted on the UTF-8 bytes (every byte that does not continue a sequence
  /// starts a scalar); `count` walks grapheme clusters and `unicodeScalars.count` decodes,
  /// and both showed up in capture profiles on 60 KB texts. Eight bytes at a time: a
  /// continuation byte is 10xxxxxx, so its top bit is set and the next bit clear.
  var scalarCount: Int {
    utf8.withContiguousStorageIfAvailable { bytes in
      let raw = UnsafeRawBufferPointer(bytes)
      let high: UInt64 = 0x8080_8080_8080_8080
      var continuations = 0
      var i = 0
      while i + 8 <= raw.count {
        let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        continuations += (word & high & ~(word << 1)).nonzeroBitCount
        i += 8
      }
      while i < raw.count {
        if raw[i] & 0xC0 == 0x80 { continuations += 1 }
        i += 1
      }
      return raw.count - continuations
    } ?? unicodeScalars.count
  }
}
