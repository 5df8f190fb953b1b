import Foundation
import GRDB
import SourcekeepCore
import SourcekeepTestSupport
import Testing

/// A catalog error keeps its cause: a damaged file and a lock held by another connection read
/// differently to callers, and both messages still name the file.
@Suite struct CatalogErrorTests {
  let dir = TempDirectory()

  @Test func garbageInTheFileIsCorrupt() throws {
    let path = dir.write("catalog.sqlite", String(repeating: "not a database, just text. ", count: 200))
    let error = try #require(throws: CatalogError.self) { try Catalog(path: path) }
    #expect(error.cause == .corrupt)
    #expect(error.underlying is DatabaseError)
    #expect(error.description.hasPrefix("catalog \(path): "))
    #expect(error.description.hasSuffix("Move it aside to start a new one."))
  }

  @Test func aWriteLockHeldByAnotherConnectionIsLockedNotCorrupt() throws {
    let path = dir.path + "/catalog.sqlite"
    let catalog = try Catalog(path: path, busyTimeout: 0.2)
    let markdown = "# d 2026年02月17日\n## 千问\n> **来源：** [p](https://example.com/a)\n"
    let digest = try DigestReader().read(dir.write("2026-02-17.md", markdown))
    let other = try DatabaseQueue(path: path)
    try other.inDatabase { db in
      try db.execute(sql: "BEGIN EXCLUSIVE TRANSACTION")
      defer { try? db.execute(sql: "ROLLBACK") }
      let error = try #require(throws: CatalogError.self) { try catalog.registerDigest(digest) }
      #expect(error.cause == .locked)
      #expect(error.description.hasPrefix("catalog \(path): "))
      #expect(error.description.hasSuffix("try again when it has finished."))
    }
    // Once the other connection lets go, the same write goes through.
    #expect(try catalog.registerDigest(digest).change == .new)
  }
}
