public import Foundation

/// The project's own test resources, found from the repository root: `Tests/Fixtures`
/// (synthetic pages with their expected.json, digest templates; see Tests/Fixtures/README.md).
public enum TestFixtures {
  /// The repository root (the folder holding Package.swift).
  public static let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
      url.deleteLastPathComponent()
      if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
        return url
      }
    }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
  }()

  /// `Tests/Fixtures` in the repository.
  public static let root: URL = repositoryRoot.appendingPathComponent("Tests/Fixtures")

  /// A file under `Tests/Fixtures`, e.g. `pages/expected.json`.
  public static func url(_ relativePath: String) -> URL {
    root.appendingPathComponent(relativePath)
  }

  /// A fixture page's bytes, e.g. `page("wechat-deleted.html")`.
  public static func page(_ file: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: url("pages/" + file)))
  }

  /// The digest template (`{BASE}` placeholders) citing every fixture page once.
  public static let digestTemplate = "digests/2026-03-09.md"

  /// A digest in `examples/digests` (real links, never fetched by tests), e.g. `2026-02-17.md`.
  public static func exampleDigest(_ name: String) -> URL {
    repositoryRoot.appendingPathComponent("examples/digests/" + name)
  }
}

/// What a digest's Markdown holds, counted from the raw lines (not by the digest reader), so
/// tests compare the reader with the file instead of with numbers typed into the test.
public struct RawDigestCounts: Sendable {
  /// `## ` entry headings.
  public var entries: Int
  /// `[name](url)` links on `> **来源：**` lines, in order.
  public var sources: [(publisher: String, url: String)]

  public init(markdown: String) {
    let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
    entries = lines.filter { $0.hasPrefix("## ") }.count
    var sources: [(publisher: String, url: String)] = []
    for line in lines where line.hasPrefix("> **来源：**") {
      var rest = line[...]
      while let open = rest.firstIndex(of: "["), let close = rest[open...].range(of: "]("),
        let end = rest[close.upperBound...].firstIndex(of: ")")
      {
        sources.append((String(rest[rest.index(after: open)..<close.lowerBound]), String(rest[close.upperBound..<end])))
        rest = rest[rest.index(after: end)...]
      }
    }
    self.sources = sources
  }

  /// Distinct link URLs (fragments dropped, as the catalog stores them).
  public var distinctURLs: Int {
    Set(sources.map { $0.url.split(separator: "#", maxSplits: 1).first.map(String.init) ?? $0.url }).count
  }

  /// Distinct publisher names.
  public var publishers: Set<String> { Set(sources.map(\.publisher)) }
}
