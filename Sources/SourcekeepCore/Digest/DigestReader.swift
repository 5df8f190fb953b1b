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

  /// A Markdown line longer than this refuses the file: no digest has one, and the parser's
  /// cost grows with it on hostile input. Default 64 KiB.
  public var maxLineBytes: Int

  public init(maxFileBytes: Int = 8 << 20, maxLineBytes: Int = 64 << 10) {
    self.maxFileBytes = maxFileBytes
    self.maxLineBytes = maxLineBytes
  }

  /// The content hash `read` gives a file (SHA-256 of its bytes), without parsing it.
  /// - Throws: `DigestProblem` when the file cannot be read or is over the size limit.
  public func contentHash(of path: String) throws(DigestProblem) -> String {
    SHA256.hex(try bytes(of: path).bytes)
  }

  /// Lists the digest files under `paths` (files as given; directories searched
  /// recursively, hidden entries skipped), sorted, each once, leaving out those an `exclude`
  /// glob matches (by name, or by path below the configured folder; `[digests] exclude`).
  /// - Returns: the files, and a problem for each configured path that does not exist.
  public func discover(_ paths: [String], exclude: [String] = []) -> (files: [String], problems: [DigestProblem]) {
    let patterns = exclude.compactMap(GlobPattern.init)
    func excluded(_ file: String, under root: String) -> Bool {
      guard !patterns.isEmpty else { return false }
      let prefix = root.hasSuffix("/") ? root : root + "/"
      let relative = file.hasPrefix(prefix) ? String(file.dropFirst(prefix.count)) : file
      return patterns.contains { $0.matches(relativePath: relative) }
    }
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
        if !excluded(path, under: (path as NSString).deletingLastPathComponent) { files.append(path) }
        continue
      }
      guard
        let walker = fm.enumerator(
          at: URL(fileURLWithPath: path), includingPropertiesForKeys: [.isRegularFileKey, .isSymbolicLinkKey],
          options: [.skipsHiddenFiles, .skipsPackageDescendants])
      else { continue }
      for case let url as URL in walker {
        let ext = url.pathExtension.lowercased()
        guard Self.markdownExtensions.contains(ext) || Self.htmlExtensions.contains(ext) else { continue }
        if excluded(url.standardizedFileURL.path, under: URL(fileURLWithPath: path).standardizedFileURL.path) {
          continue
        }
        let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey])
        if values?.isSymbolicLink == true {
          switch Self.followLink(url, within: paths) {
          case .success: files.append(url.standardizedFileURL.path)
          case .failure(let problem): problems.append(problem)
          }
          continue
        }
        guard values?.isRegularFile == true else { continue }
        files.append(url.standardizedFileURL.path)
      }
    }
    var seen = Set<String>()
    return (files.sorted().filter { seen.insert($0).inserted }, problems)
  }

  /// A symbolic link found in a digest folder is read when it leads to a regular file inside
  /// one of the configured paths (an editor's "latest.md" pointing at today's digest), and is
  /// reported otherwise, never skipped silently: a link out of the configured folders would let
  /// whoever can write there make the daemon read any file it can see.
  static func followLink(_ url: URL, within paths: [String]) -> Result<Void, DigestProblem> {
    let target = url.resolvingSymlinksInPath().path
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: target, isDirectory: &isDir), !isDir.boolValue else {
      return .failure(
        DigestProblem(
          path: url.path, message: "symbolic link to \(target), which is not a readable file; fix or remove the link"))
    }
    let roots = paths.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
    guard roots.contains(where: { target == $0 || target.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }) else {
      return .failure(
        DigestProblem(
          path: url.path,
          message: "symbolic link to \(target), outside [digests] paths; not read (copy the file in, "
            + "or add its folder to [digests] paths)"))
    }
    return .success(())
  }

  /// Reads one digest file.
  /// - Throws: `DigestProblem` when the file is unreadable, too large, not UTF-8 text, or
  ///   has neither headings nor links.
  public func read(_ path: String) throws(DigestProblem) -> Digest {
    try read(path, unlessHash: nil)!
  }

  /// Reads one digest file unless its content hash is `knownHash`: an unchanged file is
  /// recognised from its bytes, before any parsing.
  /// - Returns: nil when the file's hash is `knownHash`.
  /// - Throws: as `read(_:)`.
  public func read(_ path: String, unlessHash knownHash: String?) throws(DigestProblem) -> Digest? {
    let file = try self.bytes(of: path)
    var bytes = file.bytes
    let attributes = file.attributes
    let hash = SHA256.hex(bytes)
    if hash == knownHash { return nil }
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
    if !isHTML { try checkLines(bytes, path: path) }
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

  /// The file's bytes and attributes, refused when missing, unreadable or over `maxFileBytes`.
  private func bytes(of path: String) throws(DigestProblem)
    -> (bytes: [UInt8], attributes: [FileAttributeKey: Any]?)
  {
    let fm = FileManager.default
    guard fm.fileExists(atPath: path) else {
      throw DigestProblem(path: path, message: "no such file; check the path")
    }
    let attributes = try? fm.attributesOfItem(atPath: path)
    if let size = attributes?[.size] as? NSNumber, size.intValue > maxFileBytes {
      throw DigestProblem(
        path: path, message: "file is \(size.intValue) bytes, over the \(maxFileBytes)-byte limit for a digest; skipped"
      )
    }
    guard let data = fm.contents(atPath: path) else {
      throw DigestProblem(path: path, message: "cannot read the file (permissions?); skipped")
    }
    return ([UInt8](data), attributes)
  }

  /// Refuses a Markdown file with a line over `maxLineBytes`, naming the line.
  private func checkLines(_ bytes: [UInt8], path: String) throws(DigestProblem) {
    var line = 1
    var start = 0
    for i in 0...bytes.count where i == bytes.count || bytes[i] == 10 {
      if i - start > maxLineBytes {
        throw DigestProblem(
          path: path,
          message: "line \(line) is \(i - start) bytes long, over the \(maxLineBytes)-byte limit for one line "
            + "of a Markdown digest (a parse of such input can take minutes); skipped")
      }
      line += 1
      start = i + 1
    }
  }
}
