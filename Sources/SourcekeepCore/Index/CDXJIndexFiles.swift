import Foundation
import SKSystem

/// `<storage.dir>/indexes/`: the CDXJ index pywb reads (docs/design.md#cdxj-index).
///
/// Two sorted files, like a two-level LSM tree: `index.cdxj` holds every row up to a mark, and
/// `index-recent.cdxj` the rows committed since. After each committed batch only the small
/// file is rewritten; once it passes `recentLimit` lines, `index.cdxj` is rewritten with
/// everything and the small file goes. So a capture costs a rewrite of at most `recentLimit`
/// lines, not of the whole index, and the big rewrite is amortised over many captures. pywb
/// reads every `.cdxj` in the folder and merges them; `sourcekeep index` leaves one file.
/// Both files are written beside and renamed into place: a reader sees the old or the new.
public struct CDXJIndexFiles: Sendable {
  public let directory: String
  public var main: String { directory + "/index.cdxj" }
  public var recent: String { directory + "/index-recent.cdxj" }
  /// The last `archive_record` id in `index.cdxj` and its line count.
  var state: String { directory + "/.index-state" }

  public init(root: String) {
    directory = root + "/indexes"
  }

  /// Writes `index.cdxj` from every row and removes the recent file.
  /// - Returns: the number of lines written.
  @discardableResult
  public func rewrite(from catalog: Catalog) throws -> Int {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let through = try catalog.lastArchivedRecordID()
    let lines = try write(main, from: catalog, afterID: 0, throughID: through)
    try Data("\(through) \(lines)\n".utf8).write(to: URL(fileURLWithPath: state), options: .atomic)
    try? FileManager.default.removeItem(atPath: recent)
    return lines
  }

  /// Brings the files up to date with the catalog: rewrites the recent file, or everything
  /// when it has grown past `recentLimit(mainLines:)` or the state is unknown.
  public func refresh(from catalog: Catalog) throws {
    guard let (mark, mainLines) = readState(), FileManager.default.fileExists(atPath: main) else {
      try rewrite(from: catalog)
      return
    }
    let through = try catalog.lastArchivedRecordID()
    if through <= mark {
      try? FileManager.default.removeItem(atPath: recent)
      return
    }
    // Rows are appended in id order, so the count of new rows is at most through - mark.
    if through - mark > Int64(Self.recentLimit(mainLines: mainLines)) {
      try rewrite(from: catalog)
      return
    }
    _ = try write(recent, from: catalog, afterID: mark, throughID: through)
  }

  /// The recent file's size limit: 1/16 of the main file, between 2,048 and 16,384 lines, so
  /// a rewrite per batch stays small and full rewrites come about every 1/16 of growth.
  static func recentLimit(mainLines: Int) -> Int { min(16_384, max(2_048, mainLines / 16)) }

  private func readState() -> (Int64, Int)? {
    guard let text = try? String(contentsOfFile: state, encoding: .utf8) else { return nil }
    let parts = text.split(whereSeparator: \.isWhitespace)
    guard parts.count == 2, let mark = Int64(parts[0]), let lines = Int(parts[1]) else { return nil }
    return (mark, lines)
  }

  private func write(_ path: String, from catalog: Catalog, afterID: Int64, throughID: Int64) throws -> Int {
    let temporary = path + ".tmp"
    let out = try BufferedFileWriter(path: temporary)
    let lines = try catalog.forEachIndexLine(afterID: afterID, throughID: throughID) { line in
      try out.write(line + "\n")
    }
    try out.close()
    try atomicRename(temporary, over: path)
    return lines
  }
}
