import SKZlib
import SourcekeepTestSupport
import Testing

/// libdeflate's two reading paths must answer as zlib's `decodeMember` does, or step aside:
/// the same bytes and length for a good member, and zlib's own error for anything else.
@Suite struct WholeMemberTests {
  static func zlib(_ data: [UInt8], _ offset: Int, limit: Int = 1 << 31) -> String {
    do {
      let (bytes, consumed) = try Inflater.decodeMember(data, at: offset, limit: limit)
      return "\(bytes.count) bytes, hash \(bytes.hashValue), consumed \(consumed)"
    } catch {
      return "error \(error.code): \(error.message)"
    }
  }

  static func scratch(_ data: [UInt8], _ offset: Int, limit: Int = 1 << 31, room: Int) -> String {
    var scratch = [UInt8](repeating: 0, count: room)
    do {
      let (bytes, consumed) = try Inflater.decodeMember(data, at: offset, limit: limit, scratch: &scratch)
      return "\(bytes.count) bytes, hash \(bytes.hashValue), consumed \(consumed)"
    } catch {
      return "error \(error.code): \(error.message)"
    }
  }

  /// Members of several sizes, one after another as in a `.warc.gz`, by libdeflate and zlib.
  static func file(_ rng: inout SplitMix64) throws -> (bytes: [UInt8], starts: [Int]) {
    var bytes: [UInt8] = []
    var starts: [Int] = []
    for size in [0, 1, 700, 40_000, 300_000] {
      let text = (0..<size).map { i in UInt8(truncatingIfNeeded: rng.next() % 3 == 0 ? rng.next() : UInt64(i % 7)) }
      starts.append(bytes.count)
      bytes += size % 2 == 0 ? try ArchiveGzip.member(text) : try GzipMember.compress(text)
    }
    return (bytes, starts)
  }

  @Test func goodMembersReadTheSameAndDamagedOnesFallBackToZlib() throws {
    var rng = SplitMix64(seed: 3)
    let (file, starts) = try Self.file(&rng)
    for (k, start) in starts.enumerated() {
      let end = k + 1 < starts.count ? starts[k + 1] : file.count
      let member = Array(file[start..<end])
      // In a walk: the rest of the file from the member on, with a scratch that fits the
      // member or not (then zlib decodes it), and under a limit smaller than the member.
      for room in [1 << 20, 1_000] {
        #expect(Self.scratch(file, start, room: room) == Self.zlib(file, start))
        #expect(Self.scratch(file, start, limit: 500, room: room) == Self.zlib(file, start, limit: 500))
      }
      // Whole: exactly the member's bytes, as a catalog pointer reads them.
      let whole = Inflater.decodeWholeMember(member, at: 0, limit: 1 << 31)
      let expected = try Inflater.decodeMember(member, at: 0).bytes
      #expect(whole == (member.count >= 18 ? expected : nil))
      #expect(Inflater.decodeWholeMember(member, at: 0, limit: expected.count - 1) == nil || expected.isEmpty)
      // A pointer whose length is wrong: more than the member (the next member's bytes come
      // with it) or less (cut): no answer, zlib decides.
      if end < file.count {
        #expect(Inflater.decodeWholeMember(Array(file[start..<(end + 20)]), at: 0, limit: 1 << 31) == nil)
      }
      #expect(Inflater.decodeWholeMember(Array(member.dropLast(3)), at: 0, limit: 1 << 31) == nil)
      // Damaged: one byte changed anywhere, or cut short: the scratch path answers as zlib.
      for _ in 0..<40 where member.count > 0 {
        var damaged = file
        let at = start + Int(rng.next() % UInt64(member.count))
        damaged[at] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
        #expect(Self.scratch(damaged, start, room: 1 << 20) == Self.zlib(damaged, start), "byte \(at - start)")
        let cut = Array(file[..<(start + Int(rng.next() % UInt64(member.count)))])
        #expect(Self.scratch(cut, start, room: 1 << 20) == Self.zlib(cut, start))
        if Inflater.decodeWholeMember(Array(damaged[start..<end]), at: 0, limit: 1 << 31) != nil {
          // Only a change libdeflate and zlib both accept (none in gzip's CRC-checked body).
          #expect(!Self.zlib(damaged, start).hasPrefix("error"))
        }
      }
    }
  }
}
