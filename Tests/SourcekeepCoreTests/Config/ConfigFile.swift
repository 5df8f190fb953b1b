import SourcekeepTestSupport

@testable import SourcekeepCore

/// A config file written to a temporary folder and loaded as `--config` would load it, with
/// no environment and no system file: what the config suites share.
struct ConfigFile {
  let dir = TempDirectory()

  func load(_ toml: String) throws(ConfigError) -> LoadedConfig {
    let path = dir.write("sourcekeep.toml", toml)
    return try ConfigLoader.load(flag: path, environment: [:], systemPath: "/nonexistent")
  }

  /// The error loading `toml` gives, or nil when it loads.
  func problem(_ toml: String) -> ConfigError? {
    do {
      _ = try load(toml)
      return nil
    } catch {
      return error
    }
  }
}
