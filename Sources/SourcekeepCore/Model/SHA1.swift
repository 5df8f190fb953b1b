/// SHA-1 (FIPS 180-4), streaming: WARC's `WARC-Block-Digest` and `WARC-Payload-Digest` are
/// `sha1:` + base32 by convention (wget, Heritrix, warcio, pywb all expect it), so sourcekeep
/// computes it while bytes pass through, without holding a body twice.
public struct SHA1: Sendable {
  private var h: (UInt32, UInt32, UInt32, UInt32, UInt32) = (
    0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0
  )
  private var block = [UInt8](repeating: 0, count: 64)
  private var used = 0
  private var length: UInt64 = 0

  public init() {}

  public mutating func update(_ bytes: some Collection<UInt8>) {
    // Arrays, slices and Data hash in place; other collections are copied once.
    let done: Void? = bytes.withContiguousStorageIfAvailable { absorb($0.span) }
    if done == nil {
      let copy = Array(bytes)
      absorb(copy.span)
    }
  }

  private mutating func absorb(_ input: Span<UInt8>) {
    length &+= UInt64(input.count)
    var i = 0
    // Top up a partial block first, then whole blocks straight from the input.
    if used > 0 {
      while used < 64, i < input.count {
        block[used] = input[i]
        used += 1
        i += 1
      }
      guard used == 64 else { return }
      let full = block
      Self.compress(&h, full.span, at: 0)
      used = 0
    }
    while input.count - i >= 64 {
      Self.compress(&h, input, at: i)
      i += 64
    }
    while i < input.count {
      block[used] = input[i]
      used += 1
      i += 1
    }
  }

  public mutating func finalize() -> [UInt8] {
    let bits = length &* 8
    var tail: [UInt8] = [0x80]
    while (used + tail.count) % 64 != 56 { tail.append(0) }
    for i in (0..<8).reversed() { tail.append(UInt8(truncatingIfNeeded: bits >> (UInt64(i) * 8))) }
    let saved = length
    update(tail)
    length = saved
    precondition(used == 0)
    return [h.0, h.1, h.2, h.3, h.4].flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> (24 - $0 * 8)) } }
  }

  /// The digest of `bytes`.
  public static func digest(_ bytes: some Collection<UInt8>) -> [UInt8] {
    var s = SHA1()
    s.update(bytes)
    return s.finalize()
  }

  /// `sha1:` + RFC 4648 base32 of the digest, the WARC convention.
  public static func warcDigest(_ bytes: some Collection<UInt8>) -> String {
    "sha1:" + Base32.encode(digest(bytes))
  }

  /// One 64-byte block at `offset`. The four rounds are separate loops (no switch per
  /// step) and the schedule lives on the stack: this runs over every archived byte twice
  /// (payload and block digest).
  private static func compress(
    _ h: inout (UInt32, UInt32, UInt32, UInt32, UInt32), _ input: Span<UInt8>, at offset: Int
  ) {
    precondition(offset >= 0 && input.count - offset >= 64)  // makes the unchecked loads below safe
    var w = InlineArray<80, UInt32>(repeating: 0)
    for i in 0..<16 {
      let o = offset + i * 4
      w[i] =
        UInt32(input[unchecked: o]) << 24 | UInt32(input[unchecked: o + 1]) << 16
        | UInt32(input[unchecked: o + 2]) << 8 | UInt32(input[unchecked: o + 3])
    }
    for i in 16..<80 {
      let x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]
      w[i] = (x << 1) | (x >> 31)
    }
    var (a, b, c, d, e) = h
    for i in 0..<20 {
      let t = ((a << 5) | (a >> 27)) &+ ((b & c) | (~b & d)) &+ e &+ 0x5A82_7999 &+ w[i]
      e = d
      d = c
      c = (b << 30) | (b >> 2)
      b = a
      a = t
    }
    for i in 20..<40 {
      let t = ((a << 5) | (a >> 27)) &+ (b ^ c ^ d) &+ e &+ 0x6ED9_EBA1 &+ w[i]
      e = d
      d = c
      c = (b << 30) | (b >> 2)
      b = a
      a = t
    }
    for i in 40..<60 {
      let t = ((a << 5) | (a >> 27)) &+ ((b & c) | (b & d) | (c & d)) &+ e &+ 0x8F1B_BCDC &+ w[i]
      e = d
      d = c
      c = (b << 30) | (b >> 2)
      b = a
      a = t
    }
    for i in 60..<80 {
      let t = ((a << 5) | (a >> 27)) &+ (b ^ c ^ d) &+ e &+ 0xCA62_C1D6 &+ w[i]
      e = d
      d = c
      c = (b << 30) | (b >> 2)
      b = a
      a = t
    }
    h = (h.0 &+ a, h.1 &+ b, h.2 &+ c, h.3 &+ d, h.4 &+ e)
  }
}

/// RFC 4648 base32 (upper case, `=` padding), as WARC digests use it.
public enum Base32 {
  private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

  public static func encode(_ bytes: [UInt8]) -> String {
    var out: [UInt8] = []
    var buffer: UInt64 = 0
    var bits = 0
    for b in bytes {
      buffer = (buffer << 8) | UInt64(b)
      bits += 8
      while bits >= 5 {
        out.append(alphabet[Int((buffer >> UInt64(bits - 5)) & 31)])
        bits -= 5
      }
    }
    if bits > 0 { out.append(alphabet[Int((buffer << UInt64(5 - bits)) & 31)]) }
    while out.count % 8 != 0 { out.append(UInt8(ascii: "=")) }
    return String(decoding: out, as: UTF8.self)
  }
}
