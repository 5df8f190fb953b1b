import SourcekeepCore

// Temporary: the TOML config loader lands on main; until then probe runs on the built-in
// defaults. Delete this file when `loadConfig(_:)` comes from the loader.

/// The effective configuration for a command (stub: built-in defaults; `--config` ignored).
func loadConfig(_ common: CommonOptions) throws -> Config {
  Config()
}
