import SKZlib
import Testing

/// The zip entries' CRC-32 (libdeflate's) must be the checksum zlib writes into a gzip trailer,
/// whatever the pieces it is fed in.
@Suite struct CRC32Tests {
  @Test func theCheckValueOfTheStandard() {
    var crc = CRC32()
    crc.update(Array("123456789".utf8))
    #expect(crc.value == 0xCBF4_3926)
    #expect(CRC32().value == 0)
  }

  @Test func piecesOfAnySizeGiveZlibsChecksum() throws {
    var rng = SystemRandomNumberGenerator()
    for size in [1, 15, 16, 63, 64, 65, 255, 4_096, 100_003, 1 << 20] {
      let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &rng) }
      // zlib's CRC of the same bytes: the first four bytes of a gzip member's trailer.
      let member = try GzipMember.compress(bytes, level: 1)
      let trailer = member[(member.count - 8)..<(member.count - 4)]
      let zlib = trailer.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
      var whole = CRC32()
      whole.update(bytes)
      #expect(whole.value == zlib, "size \(size)")
      var pieces = CRC32()
      var start = 0
      while start < size {
        let end = min(size, start + Int.random(in: 1...70_000, using: &rng))
        pieces.update(Array(bytes[start..<end]))
        start = end
      }
      #expect(pieces.value == zlib, "size \(size) in pieces")
    }
  }
}
