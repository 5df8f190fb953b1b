import ArgumentParser
import Foundation
import SKSystem
import SourcekeepCore

/// What most commands need: the effective config and the store's file layout.
///
/// Errors become the contract exit codes here, in one place: config problems 78, a busy
/// store 75, a broken catalog 1; each message names the file or key at fault.
struct CommandContext {
  let loaded: LoadedConfig
  var config: Config { loaded.config }
  var layout: StoreLayout { StoreLayout(root: config.storage.dir) }

  /// Loads the configuration or exits 78 with the message.
  static func load(_ common: CommonOptions) throws -> CommandContext {
    do {
      return CommandContext(loaded: try ConfigLoader.load(flag: common.config))
    } catch {
      printError("sourcekeep: \(error)")
      throw ExitCode.config
    }
  }

  /// Takes the store's writer lock or exits 75 naming the holder.
  func lock() throws -> StoreLock {
    try refuseForeignStoreAsRoot()
    do {
      return try StoreLock(path: layout.lockFile)
    } catch let busy as StoreBusy {
      printError("sourcekeep: \(busy)")
      throw ExitCode.busy
    } catch {
      printError(
        "sourcekeep: cannot create the lock file \(layout.lockFile): \(error). Check [storage] dir and its permissions."
      )
      throw ExitCode.failure
    }
  }

  /// Root writing a store that belongs to someone else (`sudo sourcekeep ingest now` while the
  /// service is down) would leave root-owned WARC, journal and lock files that the service user
  /// can no longer append to: refuse, naming the owner, instead (exit 1).
  func refuseForeignStoreAsRoot() throws {
    guard ProcessIdentity.effectiveUserID == 0,
      let attributes = try? FileManager.default.attributesOfItem(atPath: layout.root),
      let owner = (attributes[.ownerAccountID] as? NSNumber)?.uint32Value, owner != 0
    else { return }
    let account = attributes[.ownerAccountName] as? String
    let name = account.map { "user \($0)" } ?? "uid \(owner)"
    let sudo = account ?? "'#\(owner)'"
    printError(
      "sourcekeep: the store \(layout.root) belongs to \(name) and this command runs as root: the files it "
        + "would write (WARC, journal, lock) would be root's, and the service could no longer append to them. "
        + "Run it as the store's owner (sudo -u \(sudo) sourcekeep …), or start "
        + "the service so it does the work (systemctl start sourcekeep).")
    throw ExitCode.failure
  }

  /// Opens the catalog (creating the store folder when `create`), or exits 1 with the reason.
  func catalog(create: Bool) throws -> Catalog {
    if !create && !FileManager.default.fileExists(atPath: layout.catalog) {
      printError(
        "sourcekeep: no catalog at \(layout.catalog) yet; run `sourcekeep ingest now` first (storage dir from \(loaded.origin))."
      )
      throw ExitCode.failure
    }
    do {
      try FileManager.default.createDirectory(atPath: layout.root, withIntermediateDirectories: true)
      return try Catalog(path: layout.catalog)
    } catch {
      printError("sourcekeep: \(error)")
      throw ExitCode.failure
    }
  }

  /// Opens the catalog read-only for a command that only reads (no lock, no migration), or
  /// exits 1 with the reason.
  func readCatalog() throws -> Catalog {
    guard FileManager.default.fileExists(atPath: layout.catalog) else {
      printError(
        "sourcekeep: no catalog at \(layout.catalog) yet; run `sourcekeep ingest now` first (storage dir from \(loaded.origin))."
      )
      throw ExitCode.failure
    }
    do {
      return try Catalog.openForReading(path: layout.catalog)
    } catch {
      printError("sourcekeep: \(error)")
      throw ExitCode.failure
    }
  }

  func journal() -> Journal {
    Journal(directory: layout.journalDirectory)
  }

}

/// Parses `--since`: a duration back from now (`2h`, `7d`) or an ISO-8601 time.
func parseSince(_ text: String) throws -> Date {
  if let d = ConfigDuration(parsing: text) { return Date().addingTimeInterval(-Double(d.seconds)) }
  if let date = Timestamp.parse(text) { return date }
  if let day = Timestamp.parse(text + "T00:00:00Z") { return day }
  throw ValidationError(
    "--since \(text): use a duration such as 2h or 7d, or an ISO-8601 time such as 2026-02-17T08:00:00Z")
}
