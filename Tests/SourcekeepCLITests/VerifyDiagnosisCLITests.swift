import Foundation
import SourcekeepCore
import SourcekeepTestSupport
import Testing

/// `verify` gives one diagnosis per damaged place (issue #19, docs/design.md#verify): the file,
/// the offset, what is wrong, the archived copies it touches and what to do; a torn tail is
/// a warning only when the next capture really cuts it.
@Suite struct VerifyDiagnosisCLITests {
  /// A store with two captured loopback pages, and the catalog's pointers.
  func captured(_ server: FixtureServer) throws -> (TempDirectory, CommandRunner, [SnapshotPointer]) {
    let tmp = TempDirectory(prefix: "sk-verify")
    tmp.write("sourcekeep.toml", LoopbackConfig.toml())
    tmp.write(
      "digests/2026-02-17.md",
      "# d\n\n## a\n> **来源：** [甲](\(server.url("/ok?v=1"))) 、 [乙](\(server.url("/ok?v=2")))\n")
    let run = CommandRunner(workingDirectory: tmp.path)
    #expect(try run.run(["ingest", "now"]).status == 0)
    let pointers = try Catalog.openForReading(path: tmp.file("data/catalog.sqlite")).allSnapshots()
    #expect(pointers.count == 2)
    return (tmp, run, pointers)
  }

  @Test func aDamagedRecordIsOneDiagnosisWithWhatToDo() throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let (tmp, run, pointers) = try captured(server)
    let victim = pointers[0].location
    let handle = try #require(FileHandle(forUpdatingAtPath: tmp.file("data/" + victim.file)))
    try handle.seek(toOffset: UInt64(victim.offset + victim.length / 2))
    try handle.write(contentsOf: Data(repeating: 0xA5, count: 32))
    try handle.close()
    let verify = try run.run(["verify"])
    #expect(verify.status == 1)
    let problems = verify.stderr.split(separator: "\n").filter { $0.hasPrefix("problem:") }
    #expect(problems.count == 1, "one diagnosis, not a cascade: \(verify.stderr)")
    #expect(problems.first?.contains("\(victim.file) at offset \(victim.offset)") == true, "\(verify.stderr)")
    #expect(verify.stderr.contains("affects: snapshot \(pointers[0].id) (\(pointers[0].url))"), "\(verify.stderr)")
    #expect(verify.stderr.contains("what to do: ") && verify.stderr.contains("from a backup"))
    #expect(verify.stdout.contains("1 problem(s)"), "\(verify.stdout)")
    let json = try #require(JSONValue.parse(try run.run(["verify", "--json"]).stdout))
    guard case .array(let diagnoses)? = json["diagnoses"] else {
      Issue.record("no diagnoses: \(json.compact)")
      return
    }
    #expect(diagnoses.count == 1 && diagnoses[0]["offset"] == .int(victim.offset))
    #expect(diagnoses[0]["what_to_do"]?.stringValue?.isEmpty == false)
  }

  @Test func aTailTheCatalogPointsIntoIsAProblemNotATornTail() throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let (tmp, run, pointers) = try captured(server)
    // Cut the file inside the last member the catalog points to: the writer keeps what the
    // catalog points to, so the next capture would not cut this (no "torn tail" warning).
    let last = try #require(pointers.max { $0.location.offset < $1.location.offset }?.location)
    let path = tmp.file("data/" + last.file)
    let handle = try #require(FileHandle(forUpdatingAtPath: path))
    try handle.truncate(atOffset: UInt64(last.offset + last.length / 2))
    try handle.close()
    let verify = try run.run(["verify"])
    #expect(verify.status == 1)
    #expect(!verify.stderr.contains("torn tail"), "\(verify.stderr)")
    #expect(verify.stderr.split(separator: "\n").filter { $0.hasPrefix("problem:") }.count == 1, "\(verify.stderr)")
    #expect(verify.stderr.contains("at offset \(last.offset)"), "\(verify.stderr)")
  }

  @Test func aTornTailPastEveryPointerIsAWarningTheNextCaptureCuts() throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let (tmp, run, pointers) = try captured(server)
    let path = tmp.file("data/" + pointers[0].location.file)
    let handle = try #require(FileHandle(forWritingAtPath: path))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data([0x1F, 0x8B, 0x08, 0x00, 0x00]))
    try handle.close()
    let verify = try run.run(["verify"])
    #expect(verify.status == 0, "\(verify.stderr)")
    #expect(verify.stderr.contains("torn tail") && verify.stderr.contains("the next capture cuts it"))
    #expect(!verify.stderr.contains("problem:"))
  }
}
