import Foundation
import GRDB

extension Catalog {
  /// The schema migrations an existing catalog at `path` still needs, in the order they run
  /// (empty for an up-to-date catalog or when there is no file yet: a new catalog is created
  /// in milliseconds). The daemon asks before opening, so a long upgrade of a large catalog
  /// keeps systemd informed instead of outliving its start timeout (docs/design.md#daemon).
  public static func pendingMigrations(path: String) -> [String] {
    guard FileManager.default.fileExists(atPath: path) else { return [] }
    do {
      var config = Configuration()
      config.readonly = true
      config.busyMode = .timeout(10)
      let queue = try DatabaseQueue(path: path, configuration: config)
      defer { try? queue.close() }
      let migrator = CatalogMigrations.migrator
      let applied = try queue.read { db in try migrator.appliedIdentifiers(db) }
      return migrator.migrations.filter { !applied.contains($0) }
    } catch {
      // Opening for real reports the problem with its advice.
      return []
    }
  }
}
