import Foundation
import GRDB
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// The drift reference is read off the cooperative pool, and a catalog that cannot give it is
/// journaled as `error` (the check goes on without a drift comparison) instead of dropped.
@Suite struct ReferenceReaderTests {
  let dir = TempDirectory()

  @Test func anUnreadableReferenceIsJournaledAsAnErrorNamingTheURL() async throws {
    let catalog = try Catalog(path: dir.path + "/catalog.sqlite")
    let path = dir.write("2026-02-17.md", "# d 2026年02月17日\n## 千问\n> **来源：** [p](https://example.com/a)\n")
    _ = try catalog.registerDigest(try DigestReader().read(path))
    var link = try #require(try catalog.linksToCapture().first)
    link.referenceSnapshot = 1
    // The text's table gone under the catalog: the read fails with an SQLite error.
    try await DatabaseQueue(path: dir.path + "/catalog.sqlite").write {
      try $0.execute(sql: "DROP TABLE snapshot_body")
    }
    let journal = Journal(directory: dir.path + "/journal")

    let text = await ReferenceReader(catalog: catalog, journal: journal).text(for: link)

    #expect(text == nil)
    let errors = JournalReader(directory: dir.path + "/journal").lines().filter { $0.event == "error" }
    #expect(errors.count == 1)
    #expect(errors.first?.value?["url"]?.stringValue == "https://example.com/a")
    #expect(errors.first?.value?["message"]?.stringValue?.contains("drift reference") == true)
  }
}
