import Foundation
import GRDB
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// A daemon started on a catalog an older release wrote upgrades its schema before READY, and
/// tells systemd so while it works: `STATUS=` and `EXTEND_TIMEOUT_USEC=`, so a long upgrade of
/// a large catalog never outlives the unit's start timeout (docs/design.md#daemon).
@Suite struct DaemonUpgradeTests {
  @Test func anOlderCatalogIsUpgradedBeforeReadyWithTheStartTimeoutExtended() throws {
    let h = try DaemonHarness()
    defer { h.cleanUp() }
    try FileManager.default.createDirectory(atPath: h.store, withIntermediateDirectories: true)
    let path = h.store + "/catalog.sqlite"
    // The schema as the release before the scale work left it (v5), with a link in it.
    let queue = try DatabaseQueue(path: path)
    try CatalogMigrations.migrator.migrate(queue, upTo: "v5-snapshot-conversion")
    try queue.write { db in
      try db.execute(
        sql: """
          INSERT INTO link (id, url, scheme, host, state, first_seen)
          VALUES (1, 'https://example.org/a', 'https', 'example.org', 'alive', '2026-02-17T00:00:00Z')
          """)
    }
    try queue.close()
    let pending = Catalog.pendingMigrations(path: path)
    #expect(
      pending == [
        "v6-scale-tallies", "v7-archive-record", "v8-fallback", "v9-web-lookups", "v10-text-index-queue",
        "v11-check-payload-digest",
      ])

    try h.start()
    #expect(
      DaemonHarness.wait(timeout: 60) { h.notify.count("READY=1") >= 1 }, "READY=1 never arrived: \(h.daemonStderr)")
    let messages = h.notify.messages.map(\.text)
    let ready = try #require(messages.firstIndex { $0.split(separator: "\n").contains("READY=1") })
    let upgrading = try #require(messages.firstIndex { $0.contains("EXTEND_TIMEOUT_USEC=30000000") }, "\(messages)")
    #expect(upgrading < ready)
    #expect(messages[upgrading].contains("STATUS=upgrading the catalog schema (v6-scale-tallies"))

    let event = try #require(h.events("catalog.upgrade").first)
    #expect(event["migrations"] == .array(pending.map { .string($0) }))
    #expect(Catalog.pendingMigrations(path: path).isEmpty)
    #expect(h.signal(SIGTERM)?.status == 0)

    // Up to date: the next start sends no extension.
    let again = Date()
    try h.start()
    #expect(DaemonHarness.wait(timeout: 60) { h.notify.count("READY=1", after: again) >= 1 })
    #expect(!h.notify.messages.contains { $0.at >= again && $0.text.contains("EXTEND_TIMEOUT_USEC") })
    #expect(h.events("catalog.upgrade").count == 1)
    #expect(h.signal(SIGTERM)?.status == 0)
  }
}
