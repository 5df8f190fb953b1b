import Foundation
import SourcekeepTestSupport
import Synchronization
import Testing

/// The test harness that starts the binary: it must never hang on a chatty child and never
/// run something other than the binary under test.
@Suite struct CommandRunnerTests {
  final class Outcome: Sendable {
    let value = Mutex<Result<CommandRunner.Result, any Error>?>(nil)
  }

  @Test func aChildFillingStderrBeforeWritingStdoutDoesNotDeadlock() throws {
    // 200 000 bytes is three times a Linux pipe's 64 KiB buffer: read one pipe to its end
    // before the other and the child blocks on stderr forever.
    let done = DispatchSemaphore(value: 0)
    let result = Outcome()
    DispatchQueue.global().async {
      let r = Result { try CommandRunner.run(executable: "/bin/sh", ["-c", "head -c 200000 /dev/zero >&2; echo ok"]) }
      result.value.withLock { $0 = r }
      done.signal()
    }
    guard done.wait(timeout: .now() + 60) == .success else {
      Issue.record("CommandRunner.run did not return within 60 s: the pipes deadlocked")
      return
    }
    let r = try #require(result.value.withLock { $0 }).get()
    #expect(r.status == 0)
    #expect(r.stdout == "ok\n")
    #expect(r.stderr.utf8.count == 200_000)
  }

  @Test func aMissingBinaryIsAnErrorNamingIt() {
    let path = "/nonexistent/.build/debug/sourcekeep"
    #expect(throws: CommandRunner.MissingBinary.self) { try CommandRunner.require(path) }
    #expect(CommandRunner.MissingBinary(path: path).description.contains(path))
  }

  @Test func theBinaryUnderTestIsTheBuildBesideTheTests() throws {
    let binary = try CommandRunner.requireBinary()
    #expect(binary.hasSuffix("/sourcekeep"))
    #expect(!binary.contains("/release/"), "tests must not fall back to a release build: \(binary)")
  }
}
