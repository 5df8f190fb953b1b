public import Foundation

/// Where the project's read-only `shared/` folder is: fixtures, seeds, the extraction bench.
///
/// `$SOURCEKEEP_SHARED` when set, else `../shared` beside the repository (how both the
/// developers' machines and CI lay it out).
public enum SharedFixtures {
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

  /// The shared folder.
  public static let root: URL = {
    if let env = ProcessInfo.processInfo.environment["SOURCEKEEP_SHARED"], !env.isEmpty {
      return URL(fileURLWithPath: env)
    }
    return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
  }()

  /// A file under the shared folder, e.g. `fixtures/pages/expected.json`.
  public static func url(_ relativePath: String) -> URL {
    root.appendingPathComponent(relativePath)
  }
}
