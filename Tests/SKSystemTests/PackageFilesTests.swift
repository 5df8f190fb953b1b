import Foundation
import SKSystem
import Testing

/// The export's two files: ranges read into one reused buffer, a package written front to back
/// with a fix-up at an earlier offset, past the writeback interval.
@Suite struct PackageFilesTests {
  @Test func rangesComeBackExactlyAndShortOnlyAtTheEnd() throws {
    let dir = NSTemporaryDirectory() + "sk-package-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/out.bin"
    // More than two writeback intervals, in uneven pieces, then a fix-up near the start.
    var rng = SystemRandomNumberGenerator()
    let total = Int(SequentialOutput.writebackChunk) * 2 + 12_345
    let bytes = (0..<total).map { _ in UInt8.random(in: 0...255, using: &rng) }
    let out = try SequentialOutput(path: path)
    var at = 0
    while at < total {
      let end = min(total, at + Int.random(in: 1...3_000_000, using: &rng))
      try out.write(Array(bytes[at..<end]))
      at = end
    }
    try out.overwrite([1, 2, 3, 4], at: 14)
    try out.close()
    var expected = bytes
    expected.replaceSubrange(14..<18, with: [1, 2, 3, 4])
    #expect(FileManager.default.contents(atPath: path) == Data(expected))

    let reader = try RangeReader(path: path)
    var buffer: [UInt8] = []
    for (offset, count) in [(0, 10), (14, 4), (1_000, 262_144), (total - 5, 5), (5, 3)] {
      try reader.read(at: Int64(offset), count: count, into: &buffer)
      #expect(buffer == Array(expected[offset..<(offset + count)]), "\(offset)+\(count)")
    }
    // Past the end: what there is, then nothing.
    try reader.read(at: Int64(total - 3), count: 10, into: &buffer)
    #expect(buffer == Array(expected[(total - 3)...]))
    try reader.read(at: Int64(total + 100), count: 10, into: &buffer)
    #expect(buffer.isEmpty)
  }

  @Test func openFailuresNameTheCallAndThePath() {
    #expect(throws: IOError.self) { try RangeReader(path: "/nonexistent-sk/none.warc.gz") }
    do {
      _ = try SequentialOutput(path: "/nonexistent-sk/out.wacz")
      Issue.record("created a file in a folder that does not exist")
    } catch {
      #expect(error.operation == "open")
      #expect(error.path == "/nonexistent-sk/out.wacz")
      #expect(error.errno == .noSuchFileOrDirectory)
    }
  }
}
