import Foundation
import GRDB
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// Commands that only read open the catalog read-only (issue #13, Medium 8): they never
/// migrate it behind the writer's back and cannot write to it.
@Suite struct ReadOnlyCatalogTests {
  let dir = TempDirectory()
  var path: String { dir.path + "/catalog.sqlite" }

  @Test func aCurrentCatalogReadsButRefusesWrites() throws {
    let digest = try DigestReader().read(TestFixtures.exampleDigest("2026-02-17.md").path)
    _ = try Catalog(path: path).registerDigest(digest)
    let reader = try Catalog.openForReading(path: path)
    let model = try reader.reportModel(filter: ReportFilter())
    #expect(model.links.count == Set(digest.citations.map(\.url)).count)
    var another = digest
    another.path = dir.path + "/another.md"
    #expect(throws: CatalogError.self) { _ = try reader.registerDigest(another) }
    #expect(try Catalog(path: path).reportModel(filter: ReportFilter()).links.count == model.links.count)
  }

  @Test func anOlderSchemaIsRefusedAndLeftAsItWas() throws {
    let queue = try DatabaseQueue(path: path)
    try CatalogMigrations.migrator.migrate(queue, upTo: "v2-snapshot-text")
    try queue.close()
    let error = try #require(throws: CatalogError.self) { try Catalog.openForReading(path: path) }
    #expect(error.cause == .schemaMismatch)
    #expect(error.description.contains("ingest now"))
    let applied = try DatabaseQueue(path: path).read { db in try CatalogMigrations.migrator.appliedIdentifiers(db) }
    #expect(applied.contains("v2-snapshot-text") && !applied.contains("v3-snapshot-body"))
  }

  @Test func aFileThatIsNotACatalogIsRefusedNamingIt() throws {
    let garbage = dir.write("catalog.sqlite", String(repeating: "not a database ", count: 100))
    let error = try #require(throws: CatalogError.self) { try Catalog.openForReading(path: garbage) }
    #expect(error.cause == .corrupt)
    #expect(error.description.contains(garbage))
  }
}
