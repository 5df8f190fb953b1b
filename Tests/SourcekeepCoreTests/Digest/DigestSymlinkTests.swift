import Foundation
import SourcekeepCore
import SourcekeepTestSupport
import Testing

/// A symlinked digest is never skipped silently (issue #13, Low 14): one leading to a file
/// inside the configured paths is read, one leading elsewhere is reported naming both ends.
@Suite struct DigestSymlinkTests {
  let dir = TempDirectory()
  let digest = "# 日报 2026-03-09\n\n## 一条\n\n> **来源：** [某刊](https://example.org/a)\n"

  @Test func aLinkToADigestInsideTheConfiguredFolderIsRead() throws {
    let folder = dir.path + "/digests"
    try FileManager.default.createDirectory(atPath: folder + "/archive", withIntermediateDirectories: true)
    let target = folder + "/archive/2026-03-09.md"
    try digest.write(toFile: target, atomically: true, encoding: .utf8)
    try FileManager.default.createSymbolicLink(atPath: folder + "/latest.md", withDestinationPath: target)
    let found = DigestReader().discover([folder])
    #expect(found.problems.isEmpty)
    #expect(found.files.contains(folder + "/latest.md"))
    #expect(found.files.contains(target))
  }

  @Test func aLinkLeadingOutOfTheConfiguredFoldersIsReportedNotRead() throws {
    let folder = dir.path + "/digests"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let outside = dir.write("secret.md", digest)
    try FileManager.default.createSymbolicLink(atPath: folder + "/leak.md", withDestinationPath: outside)
    let found = DigestReader().discover([folder])
    #expect(found.files.isEmpty)
    let problem = try #require(found.problems.first)
    #expect(found.problems.count == 1)
    #expect(problem.path == folder + "/leak.md")
    #expect(problem.message.contains(outside))
    #expect(problem.message.contains("[digests] paths"))
  }

  @Test func aDanglingLinkIsReported() throws {
    let folder = dir.path + "/digests"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: folder + "/gone.md", withDestinationPath: folder + "/nowhere.md")
    let found = DigestReader().discover([folder])
    #expect(found.files.isEmpty)
    #expect(found.problems.map(\.path) == [folder + "/gone.md"])
  }
}
