import SKSystem
import Testing

/// The eight-bytes-at-a-time loops against byte-at-a-time versions, on random input.
@Suite struct UnalignedBytesTests {
  /// Random bytes biased towards the interesting ones: ASCII runs, UTF-8 lead and continuation
  /// bytes, NULs, and the boundary values of the validator's ranges.
  static func randomBytes(count: Int, using rng: inout some RandomNumberGenerator) -> [UInt8] {
    let special: [UInt8] = [
      0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xE4, 0xEC,
      0xED, 0xEE, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF,
    ]
    return (0..<count).map { _ in
      switch Int.random(in: 0..<4, using: &rng) {
      case 0: special.randomElement(using: &rng)!
      case 1: UInt8.random(in: 0x80...0xBF, using: &rng)
      default: UInt8.random(in: 0...0x7F, using: &rng)
      }
    }
  }

  /// A splitmix64 generator, so a failure is reproducible from the seed in its message.
  struct Seeded: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  @Test func scalarCountMatchesUnicodeScalarsOnRandomText() {
    var rng = Seeded(state: 12)
    let pieces = ["a", "é", "千问", "🚀", " ", "\n", "Ω", "\u{0}", "text"]
    for round in 0..<500 {
      let string = (0..<Int.random(in: 0..<80, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
      #expect(UnalignedBytes.scalarCount(of: string) == string.unicodeScalars.count, "round \(round): \(string)")
    }
  }

  @Test func continuationCountMatchesAByteLoop() {
    var rng = Seeded(state: 34)
    for round in 0..<500 {
      let bytes = Self.randomBytes(count: Int.random(in: 0..<70, using: &rng), using: &rng)
      // Every start offset, so loads begin at every alignment.
      for start in 0..<min(bytes.count, 9) {
        let slice = Array(bytes[start...])
        let expected = slice.filter { $0 & 0xC0 == 0x80 }.count
        let got = slice.withUnsafeBytes { UnalignedBytes.continuationCount($0) }
        #expect(got == expected, "round \(round) start \(start): \(slice)")
      }
    }
  }

  @Test func isValidUTF8MatchesTheStandardLibraryOnRandomBytes() {
    var rng = Seeded(state: 56)
    var valid = 0
    for round in 0..<5000 {
      let bytes = Self.randomBytes(count: Int.random(in: 0..<40, using: &rng), using: &rng)
      // The standard library's decoder repairs invalid input: valid exactly when nothing changed.
      let expected = Array(String(decoding: bytes, as: UTF8.self).utf8) == bytes
      if expected { valid += 1 }
      #expect(UnalignedBytes.isValidUTF8(bytes) == expected, "round \(round): \(bytes)")
    }
    #expect(valid > 100, "the generator should produce valid UTF-8 too")
  }

  @Test func isValidUTF8OnRealText() {
    for text in ["", "plain ASCII long enough for words", "千问3.5发布：397B总参数只激活17B。🚀 Mixed", "\u{10FFFF}"] {
      #expect(UnalignedBytes.isValidUTF8(Array(text.utf8)))
    }
    #expect(!UnalignedBytes.isValidUTF8([0xED, 0xA0, 0x80]))  // a surrogate
    #expect(!UnalignedBytes.isValidUTF8([0xC0, 0xAF]))  // overlong
    #expect(!UnalignedBytes.isValidUTF8(Array("12345678".utf8) + [0xE4, 0xB8]))  // truncated after a fast run
  }

  @Test func isASCIIMatchesAByteLoop() {
    var rng = Seeded(state: 90)
    for round in 0..<500 {
      var bytes = (0..<Int.random(in: 0..<40, using: &rng)).map { _ in UInt8.random(in: 0...0x7F, using: &rng) }
      // Half the rounds get one high byte, anywhere: in every lane of a word and in the tail.
      if round % 2 == 1, !bytes.isEmpty { bytes[Int.random(in: 0..<bytes.count, using: &rng)] |= 0x80 }
      for start in 0..<min(bytes.count, 9) {
        let slice = Array(bytes[start...])
        let got = slice.withUnsafeBytes { UnalignedBytes.isASCII($0) }
        #expect(got == slice.allSatisfy { $0 < 0x80 }, "round \(round) start \(start): \(slice)")
      }
    }
  }

  @Test func firstIndexOfAByteBelowOrEqualMatchesAByteLoop() {
    var rng = Seeded(state: 78)
    for round in 0..<500 {
      // Mostly bytes that match neither test, so that words are skipped; some that match.
      let bytes = (0..<Int.random(in: 0..<40, using: &rng)).map { _ in
        Int.random(in: 0..<12, using: &rng) == 0
          ? [0x00, 0x09, 0x1F, 0xEF].randomElement(using: &rng)! : UInt8.random(in: 0x20...0xFF, using: &rng)
      }
      for start in 0..<min(bytes.count, 9) {
        let expected = bytes[start...].firstIndex { $0 < 0x20 || $0 == 0xEF } ?? bytes.count
        let got = bytes.withUnsafeBytes {
          UnalignedBytes.firstIndex(ofByteBelow: 0x20, orEqualTo: 0xEF, in: $0, from: start)
        }
        #expect(got == expected, "round \(round) start \(start): \(bytes)")
      }
    }
  }

  @Test func stringFromValidUTF8EqualsTheDecodedString() {
    var rng = Seeded(state: 91)
    let pieces = ["a", "é", "千问", "🚀", " ", "\n", "Ω", "e\u{301}", "text", "\u{10FFFF}"]
    for round in 0..<500 {
      let text = (0..<Int.random(in: 0..<40, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
      let bytes = Array(text.utf8)
      let made = bytes.withUnsafeBufferPointer { UnalignedBytes.string(validUTF8: $0) }
      let decoded = String(decoding: bytes, as: UTF8.self)
      // Equal as strings (canonical equivalence), in bytes, and in hash (which normalises).
      #expect(made == decoded, "round \(round): \(text)")
      #expect(Array(made.utf8) == bytes, "round \(round): \(text)")
      #expect(made.hashValue == decoded.hashValue, "round \(round): \(text)")
    }
    #expect(UnalignedBytes.string(validUTF8: UnsafeBufferPointer(start: nil, count: 0)).isEmpty)
  }

  @Test func containsMatchesTheStandardLibrary() {
    var rng = Seeded(state: 78)
    for _ in 0..<500 {
      let bytes = Self.randomBytes(count: Int.random(in: 0..<30, using: &rng), using: &rng)
      for value: UInt8 in [0, 1, 0x0A, 0x7F, 0x80, 0xFF] {
        #expect(UnalignedBytes.contains(value, in: bytes) == bytes.contains(value))
      }
    }
    // Every position, in every lane and the tail, beside the bytes just above and below the value
    // (the ones a borrow or carry could confuse with it).
    for value: UInt8 in [0, 1, 0x80, 0xFF] {
      for count in 0..<20 {
        let filler = [value &+ 1, value &- 1, value ^ 0x80]
        let background = (0..<count).map { filler[$0 % filler.count] }
        #expect(!UnalignedBytes.contains(value, in: background))
        for at in 0..<count {
          var bytes = background
          bytes[at] = value
          #expect(UnalignedBytes.contains(value, in: bytes), "value \(value) at \(at) of \(count)")
        }
      }
    }
  }
}
