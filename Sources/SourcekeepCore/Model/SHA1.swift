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
    length &+= UInt64(bytes.count)
    var index = bytes.startIndex
    // Top up a partial block first, then whole blocks straight from the input.
    while used > 0, index != bytes.endIndex {
      block[used] = bytes[index]
      used += 1
      index = bytes.index(after: index)
      if used == 64 {
        compress(block[...])
        used = 0
      }
    }
    let array = Array(bytes[index...])
    var offset = 0
    while array.count - offset >= 64 {
      compress(array[offset..<(offset + 64)])
      offset += 64
    }
    for b in array[offset...] {
      block[used] = b
      used += 1
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

  private mutating func compress(_ chunk: ArraySlice<UInt8>) {
    // InlineArray: the message schedule lives on the stack (a heap array per 64-byte block
    // was the hottest line of a capture profile).
    var w = InlineArray<80, UInt32>(repeating: 0)
    let base = chunk.startIndex
    for i in 0..<16 {
      w[i] =
        UInt32(chunk[base + i * 4]) << 24 | UInt32(chunk[base + i * 4 + 1]) << 16
        | UInt32(chunk[base + i * 4 + 2]) << 8 | UInt32(chunk[base + i * 4 + 3])
    }
    for i in 16..<80 {
      let x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]
      w[i] = (x << 1) | (x >> 31)
    }
    var (a, b, c, d, e) = h
    for i in 0..<80 {
      let f: UInt32
      let k: UInt32
      switch i {
      case 0..<20: (f, k) = ((b & c) | (~b & d), 0x5A82_7999)
      case 20..<40: (f, k) = (b ^ c ^ d, 0x6ED9_EBA1)
      case 40..<60: (f, k) = ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC)
      default: (f, k) = (b ^ c ^ d, 0xCA62_C1D6)
      }
      let t = ((a << 5) | (a >> 27)) &+ f &+ e &+ k &+ w[i]
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
