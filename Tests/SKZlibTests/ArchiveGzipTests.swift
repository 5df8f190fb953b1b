import SKZlib
import Testing

/// libdeflate's members must read back with zlib, one member at a time, as WARC readers do.
@Suite struct ArchiveGzipTests {
  @Test func aMemberInflatesBackAndSaysWhereItEnds() throws {
    let text = Array(String(repeating: "<p>稀疏专家架构 sourcekeep archive</p>\n", count: 2_000).utf8)
    let member = try ArchiveGzip.member(text)
    #expect(member.starts(with: [0x1F, 0x8B, 0x08]))
    #expect(member.count < text.count / 5)
    let empty = try ArchiveGzip.member([UInt8]())
    let second = try ArchiveGzip.member(text[7..<1_000])
    let file = member + empty + second
    let one = try Inflater.decodeMember(file, at: 0)
    #expect(one.bytes == text)
    #expect(one.consumed == member.count)
    let two = try Inflater.decodeMember(file, at: member.count)
    #expect(two.bytes.isEmpty)
    #expect(two.consumed == empty.count)
    #expect(try Inflater.decodeMember(file, at: member.count + empty.count).bytes == Array(text[7..<1_000]))
  }

  /// A member waits in memory for the archive sink: its array must not keep the room
  /// libdeflate asked for (the input's size and more) when the member is far smaller.
  @Test func aMemberHoldsAboutItsOwnSizeInMemory() throws {
    let text = Array(String(repeating: "<p>稀疏专家架构 sourcekeep archive</p>\n", count: 5_000).utf8)
    let member = try ArchiveGzip.member(text)
    #expect(member.count < text.count / 5)
    #expect(member.capacity < member.count * 2, "capacity \(member.capacity) for \(member.count) bytes")
    #expect(try Inflater.decode(member) == text)
  }

  @Test func incompressibleBytesStillFitOneMember() throws {
    var rng = SystemRandomNumberGenerator()
    let noise = (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &rng) }
    let member = try ArchiveGzip.member(noise)
    #expect(try Inflater.decode(member) == noise)
  }

  @Test func everyLevelLibdeflateOffersWorksAndALevelItLacksIsAnError() throws {
    let text = Array("稀疏 sparse 稀疏 sparse".utf8)
    for level in Int32(0)...12 { #expect(try Inflater.decode(ArchiveGzip.member(text, level: level)) == text) }
    #expect(throws: ZlibError.self) { try ArchiveGzip.member(text, level: 13) }
  }
}
