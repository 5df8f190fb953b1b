import SKSystem

extension String {
  /// The number of Unicode scalars: the "characters" of text lengths and soft-404
  /// thresholds. Counted on the UTF-8 bytes (every byte that does not continue a sequence
  /// starts a scalar); `count` walks grapheme clusters and `unicodeScalars.count` decodes,
  /// and both showed up in capture profiles on 60 KB texts. Eight bytes at a time: a
  /// continuation byte is 10xxxxxx, so its top bit is set and the next bit clear
  /// (`UnalignedBytes`, in SKSystem).
  var scalarCount: Int { UnalignedBytes.scalarCount(of: self) }
}
