/// The files under `storage.dir` (docs/design.md#storage-layout): catalog, WARC folder, journal, lock, socket, spool folder.
///
/// File names never come from URLs; everything sourcekeep writes is below this folder.
public struct StoreLayout: Sendable, Equatable {
  public let root: String
  public init(root: String) { self.root = root }

  public var catalog: String { root + "/catalog.sqlite" }
  public var warcDirectory: String { root + "/warc" }
  public var journalDirectory: String { root + "/journal" }
  public var lockFile: String { root + "/lock" }
  public var controlSocket: String { root + "/control.sock" }
  /// Large response bodies on their way to the archive (docs/design.md#spooled-bodies).
  public var tmpDirectory: String { root + "/tmp" }
}
