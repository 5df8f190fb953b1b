import Foundation
import SKSystem

/// An htpasswd file of bcrypt entries (`user:$2y$10$…`, as `htpasswd -B` writes them) for
/// `[web] auth = "basic"` (docs/design.md#web-view).
public struct Htpasswd: Sendable {
  /// User name → stored bcrypt hash.
  let entries: [String: String]

  /// A file that cannot be used, naming it and what to do (the caller exits 78).
  public struct Problem: Error, CustomStringConvertible {
    public var description: String
  }

  /// Reads `path`; refuses entries that are not bcrypt (Apache's MD5, SHA1 and plain text are
  /// too weak to keep a public archive's password).
  public init(path: String) throws(Problem) {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw Problem(
        description: "[web] htpasswd \(path): cannot read it. Create it with `htpasswd -B -c \(path) USER`.")
    }
    try self.init(text: String(decoding: data, as: UTF8.self), file: path)
  }

  init(text: String, file: String) throws(Problem) {
    var entries: [String: String] = [:]
    for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
      if line.isEmpty || line.hasPrefix("#") { continue }
      guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
        throw Problem(description: "[web] htpasswd \(file) line \(n + 1): not USER:HASH.")
      }
      let hash = String(line[line.index(after: colon)...])
      guard ["$2y$", "$2b$", "$2a$"].contains(where: hash.hasPrefix), PasswordHash.hash("", setting: hash) != nil else {
        throw Problem(
          description: "[web] htpasswd \(file) line \(n + 1): not a bcrypt hash; write entries with `htpasswd -B`.")
      }
      entries[String(line[..<colon])] = hash
    }
    guard !entries.isEmpty else {
      throw Problem(description: "[web] htpasswd \(file): no entries. Add one with `htpasswd -B \(file) USER`.")
    }
    self.entries = entries
  }

  /// Whether `user` and `password` match an entry. An unknown user costs a bcrypt run too
  /// (against a fixed hash), so the answer's time does not tell which users exist.
  public func verify(user: String, password: String) -> Bool {
    let stored = entries[user] ?? Self.decoy
    guard let computed = PasswordHash.hash(password, setting: stored) else { return false }
    return ConstantTime.equal(Array(computed.utf8), Array(stored.utf8)) && entries[user] != nil
  }

  /// A bcrypt hash (cost 10) no password is known for.
  static let decoy = "$2b$10$abcdefghijklmnopqrstuui5.NDrnClG23UDd1GR2fgTltfpvgVq2"
}
