import SKZlib
import Testing

@Suite struct GzipTests {
  @Test func gzipMemberRoundTripsThroughInflate() throws {
    let text = Array(String(repeating: "sourcekeep 来源 archive ", count: 500).utf8)
    let member = try GzipMember.compress(text)
    #expect(member.starts(with: [0x1F, 0x8B]))
    #expect(member.count < text.count / 5)
    #expect(try Inflater.decode(member) == text)
  }

  @Test func concatenatedMembersDecodeToTheirConcatenation() throws {
    let a = Array("first record\n".utf8)
    let b = Array("second record\n".utf8)
    let joined = try GzipMember.compress(a) + GzipMember.compress(b)
    #expect(try Inflater.decode(joined) == a + b)
  }

  @Test func decompressionBombStopsAtTheLimit() throws {
    let bomb = try GzipMember.compress([UInt8](repeating: 0, count: 8 << 20))
    #expect(bomb.count < 64 << 10)
    #expect(throws: ZlibError.self) { try Inflater.decode(bomb, limit: 1 << 20) }
    do {
      _ = try Inflater.decode(bomb, limit: 1 << 20)
    } catch {
      #expect(error.code == .outputLimit)
    }
  }

  @Test func corruptAndTruncatedInputAreErrorsUnlessTruncationIsAllowed() throws {
    let member = try GzipMember.compress(Array(String(repeating: "x y z ", count: 4000).utf8))
    let cut = Array(member.prefix(member.count / 2))
    #expect(throws: ZlibError.self) { try Inflater.decode(cut) }
    let partial = try Inflater.decode(cut, allowTruncated: true)
    #expect(!partial.isEmpty)
    #expect(throws: ZlibError.self) { try Inflater.decode([0x1F, 0x8B, 1, 2, 3, 4, 5]) }
  }

  @Test func deflateAcceptsZlibWrappedAndRawStreams() throws {
    // zlib-wrapped "hello" (RFC 1950) as produced by Python's zlib.compress(b"hello").
    let zlibWrapped: [UInt8] = [0x78, 0x9C, 0xCB, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00, 0x06, 0x2C, 0x02, 0x15]
    #expect(try Inflater.decode(zlibWrapped, encoding: .deflate) == Array("hello".utf8))
    let raw = Array(zlibWrapped[2..<(zlibWrapped.count - 4)])
    #expect(try Inflater.decode(raw, encoding: .deflate) == Array("hello".utf8))
  }
}
