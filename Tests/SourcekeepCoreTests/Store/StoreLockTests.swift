import Foundation
import SKSystem
import SourcekeepCore
import SourcekeepTestSupport
import Synchronization
import Testing

/// A lock file that cannot be opened fails with the errno and the path, so the message (and a
/// caller) can tell a missing folder from a folder in the way or a file it may not write.
@Suite struct StoreLockTests {
  let dir = TempDirectory()

  @Test func aMissingFolderKeepsENOENT() throws {
    let path = dir.path + "/missing/lock"
    let error = try #require(throws: IOError.self) { try LockedFile.tryLock(path: path, note: []) }
    #expect(error.errno == .noSuchFileOrDirectory)
    #expect(error == IOError(operation: "open", path: path, errno: .noSuchFileOrDirectory))
    #expect(error.description == "open \(path): No such file or directory")
  }

  @Test func aFolderWhereTheLockFileGoesKeepsEISDIR() throws {
    let path = dir.path + "/lock"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    let error = try #require(throws: IOError.self) { try StoreLock(path: path) }
    #expect(error.errno == .isDirectory)
    #expect(error.path == path)
  }

  // A file where the folder should be: ENOTDIR, which root meets too (a read-only lock file
  // would not fail for root, and the tests run as root in CI).
  @Test func aFileWhereTheFolderGoesKeepsENOTDIR() throws {
    let parent = dir.write("store", "not a folder")
    let path = parent + "/lock"
    let error = try #require(throws: IOError.self) { try LockedFile.tryLock(path: path, note: []) }
    #expect(error.errno == .notDirectory)
    #expect(error.path == path)
  }

  @Test func aSecondLockIsBusyNamingTheHolder() throws {
    let path = dir.path + "/lock"
    let first = try StoreLock(path: path)
    let busy = try #require(throws: StoreBusy.self) { try StoreLock(path: path) }
    #expect(busy.holderPID == ProcessInfo.processInfo.processIdentifier)
    _ = first
  }
}

/// Store files are never followed through a symbolic link (issue #13, Low 10): a link planted
/// where the lock or a journal file goes is refused with a message, and its target is untouched.
@Suite struct SymlinkedStoreFileTests {
  let dir = TempDirectory()

  @Test func aSymlinkedLockFileIsRefusedAndItsTargetUntouched() throws {
    let target = dir.write("elsewhere", "precious")
    let path = dir.path + "/lock"
    try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
    let error = try #require(throws: IOError.self) { try StoreLock(path: path) }
    #expect(error.errno == .tooManySymbolicLinkLevels)
    #expect(error.description.contains("symbolic link"))
    #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious")
  }

  @Test func aSymlinkedJournalFileIsRefusedAndItsTargetUntouched() throws {
    let target = dir.write("elsewhere", "precious")
    let journalDir = dir.path + "/journal"
    try FileManager.default.createDirectory(atPath: journalDir, withIntermediateDirectories: true)
    let errors = Mutex<[String]>([])
    let journal = Journal(
      directory: journalDir, runID: "r1",
      onError: { message in
        errors.withLock { $0.append(message) }
      })
    let day = journal.file(for: Date())
    try FileManager.default.createSymbolicLink(atPath: day, withDestinationPath: target)
    journal.record("run.start", [])
    #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious")
    let messages = errors.withLock { $0 }
    #expect(messages.count == 1)
    #expect(messages.first?.contains("symbolic link") == true)
    #expect(messages.first?.contains(day) == true)
  }
}
