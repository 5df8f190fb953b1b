import Foundation
import Logging
import SourcekeepCore

/// Opening the catalog at start-up, and upgrading its schema under systemd's start timeout.
extension Daemon {
  /// How often, and by how much, an upgrade in progress extends systemd's start timeout.
  static let upgradeHeartbeat = (every: 10.0, extendBy: 30.0)

  /// Opens (creating or upgrading) the catalog. A schema upgrade of a large catalog can take
  /// minutes (v6 counts every link and builds an index; at 1,000,000 links that outlives the
  /// default `TimeoutStartSec=90s`), so while one runs the daemon says so in `STATUS=` and
  /// sends `EXTEND_TIMEOUT_USEC=` every 10 s for 30 s more: systemd neither kills it for
  /// slowness nor waits for a daemon that has hung (docs/design.md#daemon). READY follows.
  func openCatalog() throws -> Catalog {
    let pending = Catalog.pendingMigrations(path: layout.catalog)
    guard !pending.isEmpty else { return try Catalog(path: layout.catalog) }
    let started = Date()
    logger.notice(
      "upgrading the catalog schema before start-up",
      metadata: ["path": "\(layout.catalog)", "migrations": "\(pending.joined(separator: ","))"])
    let notifier = self.notifier
    let status = "upgrading the catalog schema (\(pending.joined(separator: ", ")))"
    let extend = "EXTEND_TIMEOUT_USEC=\(UInt64(Self.upgradeHeartbeat.extendBy * 1_000_000))"
    notifier.notify("STATUS=" + status, extend)
    let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global())
    let every = Self.upgradeHeartbeat.every
    timer.schedule(deadline: .now() + every, repeating: every, leeway: .seconds(1))
    timer.setEventHandler { notifier.notify(extend) }
    timer.resume()
    defer { timer.cancel() }
    let catalog = try Catalog(path: layout.catalog)
    let seconds = (Date().timeIntervalSince(started) * 10).rounded() / 10
    journal.record(
      "catalog.upgrade",
      [("migrations", .array(pending.map { .string($0) })), ("seconds", .double(seconds))])
    logger.notice("catalog schema upgraded", metadata: ["seconds": "\(seconds)"])
    return catalog
  }
}
