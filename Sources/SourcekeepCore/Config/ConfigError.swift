/// A configuration problem: names the file, the key and what is allowed (exit 78).
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The config file, or nil for a problem with the built-in defaults or the environment.
  public var file: String?
  /// The dotted key at fault (`fetch.concurrency`), or nil when the file itself is at fault.
  public var key: String?
  /// What is wrong and what is allowed.
  public var message: String

  public init(file: String?, key: String?, message: String) {
    self.file = file
    self.key = key
    self.message = message
  }

  public var description: String {
    var location = file.map { "config error in \($0)" } ?? "config error"
    if let key { location += ": key '\(key)'" }
    return "\(location): \(message)"
  }
}
