import Foundation
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// A digest cannot pin a core (issue #13, Medium 7): cmark-gfm's table extension, quadratic
/// on wide tables in Debian's 0.29.0.gfm.6 (CVE-2023-37463), is off; an unchanged file is
/// recognised by its bytes and not parsed again; an absurd line is refused naming the file.
@Suite struct DigestParseCostTests {
  /// 50 rows of 10,000 `|`, then a source line: 9.7 s with the table extension on.
  static func wideTableDigest() -> String {
    var text = "# 🤖 AI行业速递 - 2026年02月17日\n\n## 表格\n\n"
    let row = String(repeating: "|", count: 10_000) + "\n"
    text += "| a | b |\n|---|---|\n" + String(repeating: row, count: 50)
    text += "\n> **来源：** [量子位](https://mp.weixin.qq.com/s/table)\n"
    return text
  }

  @Test func aWideTableDigestYieldsItsLinks() throws {
    let dir = TempDirectory()
    let path = dir.write("2026-02-17.md", Self.wideTableDigest())
    let clock = ContinuousClock()
    var digest: Digest?
    let took = try clock.measure { digest = try DigestReader().read(path) }
    print("wide-table digest (50 × 10,000 |) parsed in \(took)")
    #expect(digest?.citations.map(\.url.string) == ["https://mp.weixin.qq.com/s/table"])
  }

  @Test func anAbsurdLineIsRefusedNamingTheFile() throws {
    let dir = TempDirectory()
    let long = "# 2026年02月17日\n\n" + String(repeating: "x", count: 300_000) + "\n[a](https://example.com/a)\n"
    let path = dir.write("2026-02-17.md", long)
    #expect(throws: DigestProblem.self) { try DigestReader().read(path) }
    do {
      _ = try DigestReader().read(path)
    } catch {
      #expect(error.path == path)
      #expect(error.message.contains("line 3"), "\(error.message)")
      #expect(error.message.contains("limit"), "\(error.message)")
    }
  }

  @Test func anUnchangedDigestIsNotParsedAgain() async throws {
    let dir = TempDirectory()
    let path = dir.write("2026-02-17.md", Self.wideTableDigest())
    let catalog = try Catalog(path: dir.path + "/catalog.sqlite")
    let journal = Journal(directory: dir.path + "/journal")
    let first = try await IngestRun(catalog: catalog, journal: journal).run(paths: [], files: [path])
    #expect(first.digestsNew == 1)
    #expect(first.problems.isEmpty)
    // A reader that would refuse every line if it parsed the file: the unchanged file is
    // recognised by its hash first, so nothing is refused and the counts are the catalog's.
    var strict = DigestReader()
    strict.maxLineBytes = 1
    let second = try await IngestRun(catalog: catalog, journal: journal, reader: strict).run(paths: [], files: [path])
    #expect(second.problems.isEmpty, "\(second.problems)")
    #expect(second.digestsUnchanged == 1)
    #expect(second.sourceCitations == first.sourceCitations)
    #expect(second.entries == first.entries)
    #expect(second.links == first.links)
    // An edited file is parsed (and here refused by that reader).
    try (Self.wideTableDigest() + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    let third = try await IngestRun(catalog: catalog, journal: journal, reader: strict).run(paths: [], files: [path])
    #expect(third.problems.count == 1)
  }
}
