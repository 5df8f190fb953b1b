public import Foundation

/// Where the effective configuration came from.
public enum ConfigOrigin: Sendable, Equatable, CustomStringConvertible {
  /// `--config PATH`.
  case flag(String)
  /// `$SOURCEKEEP_CONFIG`.
  case environment(String)
  /// `./sourcekeep.toml`, because it exists in the working directory.
  case workingDirectory(String)
  /// `/etc/sourcekeep/sourcekeep.toml`, because it exists.
  case system(String)
  /// No file: built-in defaults, relative paths against the working directory.
  case defaults

  /// The config file's path, if there is one.
  public var path: String? {
    switch self {
    case .flag(let p), .environment(let p), .workingDirectory(let p), .system(let p): return p
    case .defaults: return nil
    }
  }

  public var description: String {
    switch self {
    case .flag(let p): return "\(p) (from --config)"
    case .environment(let p): return "\(p) (from $SOURCEKEEP_CONFIG)"
    case .workingDirectory(let p): return "\(p) (in the working directory)"
    case .system(let p): return "\(p) (system default location)"
    case .defaults: return "built-in defaults (no config file)"
    }
  }
}

/// A loaded configuration with, for each key, whether it came from the file or a default.
public struct LoadedConfig: Sendable {
  public var config: Config
  public var origin: ConfigOrigin
  /// Dotted keys set by the file; every other key has its default.
  public var keysFromFile: Set<String>
}

/// Reads `sourcekeep.toml` (docs/design.md#configuration).
///
/// Strict on purpose: an unknown key is almost always a typo (`concurency`) whose silent
/// default would surprise the operator much later, so it is an error naming the key.
public enum ConfigLoader {
  /// The system-wide config file, used when it exists and nothing else is named.
  public static let systemPath = "/etc/sourcekeep/sourcekeep.toml"

  /// Picks the config file: `--config`, else `$SOURCEKEEP_CONFIG`, else `./sourcekeep.toml`
  /// when it exists, else the system file when it exists, else built-in defaults.
  public static func locate(
    flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
    systemPath: String = ConfigLoader.systemPath,
    workingDirectory: String = FileManager.default.currentDirectoryPath
  ) -> ConfigOrigin {
    if let flag, !flag.isEmpty { return .flag(flag) }
    if let env = environment["SOURCEKEEP_CONFIG"], !env.isEmpty { return .environment(env) }
    let local = (workingDirectory as NSString).appendingPathComponent("sourcekeep.toml")
    if FileManager.default.fileExists(atPath: local) { return .workingDirectory(local) }
    if FileManager.default.fileExists(atPath: systemPath) { return .system(systemPath) }
    return .defaults
  }

  /// Locates and loads the configuration.
  /// - Throws: `ConfigError` naming the file and key at fault.
  public static func load(
    flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
    systemPath: String = ConfigLoader.systemPath,
    workingDirectory: String = FileManager.default.currentDirectoryPath
  ) throws(ConfigError) -> LoadedConfig {
    let origin = locate(
      flag: flag, environment: environment, systemPath: systemPath, workingDirectory: workingDirectory)
    guard let path = origin.path else {
      var config = Config()
      resolvePaths(&config, against: workingDirectory, setByFile: [])
      return LoadedConfig(config: config, origin: origin, keysFromFile: [])
    }
    let absolute = absolutePath(path, against: workingDirectory)
    guard let data = FileManager.default.contents(atPath: absolute) else {
      throw ConfigError(
        file: absolute, key: nil,
        message:
          "cannot read the file (missing or unreadable); create it from config/sourcekeep.toml or point --config at an existing file"
      )
    }
    // The bytes go to the reader as they are: it names the line and column of a byte that is
    // not UTF-8.
    return try parse(bytes: [UInt8](data), file: absolute, origin: origin)
  }

  /// Parses TOML text as a config file at `file` (relative paths resolve against its folder).
  public static func parse(_ text: String, file: String) throws(ConfigError) -> LoadedConfig {
    try parse(bytes: Array(text.utf8), file: file, origin: .flag(file))
  }

  /// Parses a config file's bytes (UTF-8 TOML) as a config file at `file`.
  public static func parse(bytes: [UInt8], file: String) throws(ConfigError) -> LoadedConfig {
    try parse(bytes: bytes, file: file, origin: .flag(file))
  }

  static func parse(bytes: [UInt8], file: String, origin: ConfigOrigin) throws(ConfigError) -> LoadedConfig {
    let table: TOMLTable
    do {
      table = try TOMLReader.parse(bytes)
    } catch {
      throw ConfigError(file: file, key: nil, message: "not valid TOML at \(error)")
    }
    var config = Config()
    var seen = Set<String>()
    for (section, value) in table {
      guard let keys = ConfigKeys.bySection[section] else {
        throw ConfigError(
          file: file, key: section,
          message:
            "unknown section [\(section)]; allowed sections: \(ConfigKeys.sections.map { "[\($0)]" }.joined(separator: ", "))"
        )
      }
      guard case .table(let sectionTable) = value else {
        throw ConfigError(
          file: file, key: section, message: "must be a table ([\(section)]), not \(ConfigValue(value).typeName)")
      }
      for (key, item) in sectionTable {
        let dotted = "\(section).\(key)"
        guard let spec = keys.first(where: { $0.name == key }) else {
          throw ConfigError(
            file: file, key: dotted,
            message: "unknown key; allowed keys in [\(section)]: \(keys.map(\.name).joined(separator: ", "))")
        }
        do {
          try spec.apply(ConfigValue(item), &config)
        } catch let problem {
          throw ConfigError(file: file, key: dotted, message: "\(problem.message); allowed: \(spec.allowed)")
        }
        seen.insert(dotted)
      }
    }
    let folder = (file as NSString).deletingLastPathComponent
    resolvePaths(&config, against: folder.isEmpty ? "." : folder, setByFile: seen)
    try checkAcrossKeys(config, file: file)
    return LoadedConfig(config: config, origin: origin, keysFromFile: seen)
  }

  /// Rules that involve more than one key.
  static func checkAcrossKeys(_ config: Config, file: String) throws(ConfigError) {
    if config.web.auth == .basic && config.web.htpasswd.isEmpty {
      throw ConfigError(
        file: file, key: "web.htpasswd",
        message: "auth = \"basic\" needs an htpasswd file with bcrypt entries (htpasswd -B -c FILE USER)")
    }
    if let problem = config.web.exposureProblem() {
      throw ConfigError(file: file, key: "web.listen", message: problem)
    }
  }

  /// Makes `digests.paths`, `storage.dir` and the named files absolute.
  static func resolvePaths(_ config: inout Config, against base: String, setByFile: Set<String>) {
    config.digests.paths = config.digests.paths.map { absolutePath($0, against: base) }
    config.storage.dir = absolutePath(config.storage.dir, against: base)
    if !config.web.htpasswd.isEmpty { config.web.htpasswd = absolutePath(config.web.htpasswd, against: base) }
    if !config.fallback.spnKeysFile.isEmpty {
      config.fallback.spnKeysFile = absolutePath(config.fallback.spnKeysFile, against: base)
    }
  }

  static func absolutePath(_ path: String, against base: String) -> String {
    let expanded = (path as NSString).expandingTildeInPath
    if expanded.hasPrefix("/") { return (expanded as NSString).standardizingPath }
    return ((base as NSString).appendingPathComponent(expanded) as NSString).standardizingPath
  }
}

/// A TOML value reduced to what config keys accept, so key specs need not know the TOML value type.
enum ConfigValue {
  case string(String)
  case int(Int)
  case double(Double)
  case bool(Bool)
  case array([ConfigValue])
  case other(String)

  /// Integers stay integers and floats stay floats (as TOMLKit gave them): `fetch.timeout_s = 30.0`
  /// is refused, `health.drift_threshold = 1` is taken as 1.0 by the key itself.
  init(_ value: TOMLValue) {
    switch value {
    case .string(let s): self = .string(s)
    case .integer(let n): self = .int(Int(n))
    case .float(let x): self = .double(x)
    case .bool(let b): self = .bool(b)
    case .array(let items): self = .array(items.map(ConfigValue.init))
    default: self = .other(value.kindName)
    }
  }

  var typeName: String {
    switch self {
    case .string: return "a string"
    case .int: return "an integer"
    case .double: return "a number"
    case .bool: return "a boolean"
    case .array: return "an array"
    case .other(let t): return t.first.map { "aeiou".contains($0) } == true ? "an \(t)" : "a \(t)"
    }
  }
}

/// Why a value was refused; the loader adds the file, the key and the allowed values.
struct ConfigValueProblem: Error {
  var message: String
}
