import Foundation

/// A digest file that could not be read, with what to do about it.
public struct DigestProblem: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file (or configured path) at fault.
  public var path: String
  /// What is wrong and what to do.
  public var message: String

  public var description: String { "\(path): \(message)" }
}

/// Finds digest files and reads them into `Digest` values.
///
/// Digests are untrusted input: a binary, oversized or non-digest file is refused with a
/// problem naming it, and the caller goes on with the other files.
public struct DigestReader: Sendable {
  /// File name extensions read as digests.
  public static let markdownExtensions: Set<String> = ["md", "markdown"]
  public static let htmlExtensions: Set<String> = ["html", "htm"]

  /// Larger files are refused: a digest is a page of links, not a data dump. Default 8 MiB.
  public var maxFileBytes: Int

  public init(maxFileBytes: Int = 8 << 20) {
    self.maxFileBytes = maxFileBytes
  }

  /// Lists the digest files under `paths` (files as given; directories searched
  /// recursively, hidden entries skipped), sorted, each once.
  /// - Returns: the files, and a problem for each configured path that does not exist.
  public func discover(_ paths: [String]) -> (files: [String], problems: [DigestProblem]) {
    var files: [String] = []
    var problems: [DigestProblem] = []
    let fm = FileManager.default
    for path in paths {
      var isDir: ObjCBool = false
      guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
        problems.append(
          DigestProblem(
            path: path,
            message: "no such file or directory; create it or change [digests] paths in the config"))
        continue
      }
      if !isDir.boolValue {
        files.append(path)
        continue
      }
      guard
        let walker = fm.enumerator(
          at: URL(fileURLWithPath: path), includingPropertiesForKeys: [.isRegularFileKey],
          options: [.skipsHiddenFiles, .skipsPackageDescendants])
      else { continue }
      for case let url as URL in walker {
        let ext = url.pathExtension.lowercased()
        guard Self.markdownExtensions.contains(ext) || Self.htmlExtensions.contains(ext) else { continue }
        guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
        files.append(url.standardizedFileURL.path)
      }
    }
    var seen = Set<String>()
    return (files.sorted().filter { seen.insert($0).inserted }, problems)
  }

  /// Reads one digest file.
  /// - Throws: `DigestProblem` when the file is unreadable, too large, not UTF-8 text, or
  ///   has neither headings nor links.
  public func read(_ path: String) throws(DigestProblem) -> Digest {
    let fm = FileManager.default
    guard fm.fileExists(atPath: path) else {
      throw DigestProblem(path: path, message: "no such file; check the path")
    }
    let attributes = try? fm.attributesOfItem(atPath: path)
    if let size = attributes?[.size] as? NSNumber, size.intValue > maxFileBytes {
      throw DigestProblem(
        path: path, message: "file is \(size.intValue) bytes, over the \(maxFileBytes)-byte limit for a digest; skipped")
    }
    guard let data = fm.contents(atPath: path) else {
      throw DigestProblem(path: path, message: "cannot read the file (permissions?); skipped")
    }
    var bytes = [UInt8](data)
    let hash = SHA256.hex(bytes)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    if bytes.contains(0) {
      throw DigestProblem(path: path, message: "binary file (contains NUL bytes), not a digest; skipped")
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw DigestProblem(path: path, message: "not valid UTF-8 text; save it as UTF-8. Skipped")
    }
    if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
      throw DigestProblem(path: path, message: "empty file, not a digest; skipped")
    }
    let name = (path as NSString).lastPathComponent
    let isHTML = Self.htmlExtensions.contains((name as NSString).pathExtension.lowercased())
    let outline: DigestOutline
    do {
      outline =
        isHTML
        ? try HTMLDigestParser.parse(bytes, path: path)
        : try MarkdownDigestParser.parse(text)
    } catch {
      throw DigestProblem(path: path, message: "could not parse: \(error); skipped")
    }
    if outline.headingCount == 0 && outline.linkCount == 0 {
      throw DigestProblem(path: path, message: "not a digest: no headings and no links; skipped")
    }
    let date: String
    let source: Digest.DateSource
    if let d = outline.headingDate {
      (date, source) = (d, .heading)
    } else if let d = DigestDate.find(in: name) {
      (date, source) = (d, .fileName)
    } else {
      let mtime = (attributes?[.modificationDate] as? Date) ?? Date()
      (date, source) = (Timestamp.day(mtime), .mtime)
    }
    return Digest(
      path: path, name: name, contentHash: hash, title: outline.title, date: date, dateSource: source,
      entries: outline.entries, citations: outline.citations)
  }
}
