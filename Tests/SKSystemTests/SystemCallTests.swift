import Foundation
import SKSystem
import SystemPackage
import Testing

@Suite struct SystemCallTests {
  @Test func utcTimeMatchesFoundationsCalendarAndRoundTrips() {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<1000 {
      // 1900 … 2200, negative seconds included.
      let seconds = Int64.random(in: -2_208_988_800...7_258_118_400, using: &rng)
      let fields = UTCTime(secondsSince1970: seconds)
      let parts = calendar.dateComponents(
        [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: Double(seconds)))
      #expect(
        [fields.year, fields.month, fields.day, fields.hour, fields.minute, fields.second]
          == [parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second], "\(seconds)")
      #expect(fields.secondsSince1970 == seconds)
    }
  }

  @Test func appendsAreWholeAndOpenFailuresKeepErrno() throws {
    let dir = NSTemporaryDirectory() + "sk-system-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/j.jsonl"
    #expect(try AppendOnlyFile.append(Array("one\n".utf8), to: path) == 4)
    #expect(try AppendOnlyFile.append(Array("two\n".utf8), to: path) == 4)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "one\ntwo\n")
    let missing = dir + "/no/such/folder/j.jsonl"
    let error = try #require(throws: IOError.self) { try AppendOnlyFile.append([1], to: missing) }
    #expect(error == IOError(operation: "open", path: missing, errno: .noSuchFileOrDirectory))
  }

  @Test func aDescriptorClosesOnceSoAReusedNumberSurvives() throws {
    let first = Descriptor(try FileDescriptor.open("/dev/null", .readOnly))
    first.close()
    // The kernel hands out the lowest free number: most likely the one just closed.
    let second = Descriptor(try FileDescriptor.open("/dev/zero", .readOnly))
    first.close()
    var byte: [UInt8] = [1]
    #expect(try byte.withUnsafeMutableBytes { try second.fd.read(into: $0) } == 1)
    #expect(byte == [0])
  }

  @Test func aLockedFileRefusesASecondHolderAndShowsItsNote() throws {
    let path = NSTemporaryDirectory() + "sk-system-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: path) }
    guard case .acquired(let lock) = try LockedFile.tryLock(path: path, note: Array("42\n".utf8)) else {
      Issue.record("a fresh file should lock")
      return
    }
    // A second open file description sees the lock and the note.
    guard case .held(let note) = try LockedFile.tryLock(path: path, note: []) else {
      Issue.record("the second lock should be refused")
      return
    }
    #expect(note == Array("42\n".utf8))
    _ = lock
  }
}
