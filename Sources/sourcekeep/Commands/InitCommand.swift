import ArgumentParser
import Foundation
import SourcekeepApp
import SourcekeepCore

/// `sourcekeep init [DIR]`: a minimal commented config and a `digests/` folder.
struct InitCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init",
    abstract: "Write a minimal commented sourcekeep.toml and a digests/ folder (default: here).")

  @OptionGroup var common: CommonOptions

  @Argument(help: "The folder to set up (created if missing). Default: the working directory.")
  var directory: String = "."

  @Flag(help: "Print what was written as JSON.")
  var json = false

  /// The config `init` writes: only what a first run needs, each key explained; every other
  /// key keeps its default (`sourcekeep config check` lists them all).
  static let template = """
    # sourcekeep configuration (written by `sourcekeep init`).
    # Only the keys a first run needs; every other key keeps its default:
    # `sourcekeep config check` prints them all, config/sourcekeep.toml documents them.
    # Relative paths resolve against this file's folder.

    [digests]
    # Digest files or folders (*.md, *.markdown, *.html), searched recursively.
    paths = ["digests"]
    # Files to leave out, e.g. ["notes.md", "drafts/**"].
    exclude = []

    [storage]
    # Everything sourcekeep writes: catalog.sqlite, warc/, journal/, lock, control.sock.
    dir = "sourcekeep-data"

    [fetch]
    # Transfers in flight, all hosts together, and per host.
    concurrency = 16
    per_host_concurrency = 2

    [health]
    # How often a live link is re-checked, and when a failing one counts as dead.
    recheck_interval = "24h"
    dead_after = "72h"

    """

  func run() async throws {
    let fm = FileManager.default
    let dir = (directory as NSString).standardizingPath
    let config = (dir as NSString).appendingPathComponent("sourcekeep.toml")
    let digests = (dir as NSString).appendingPathComponent("digests")
    if fm.fileExists(atPath: config) {
      printError(
        "sourcekeep: \(config) already exists; init never overwrites a config. Check it with "
          + "`sourcekeep config check --config \(config)`, or remove it first.")
      throw ExitCode.failure
    }
    do {
      try fm.createDirectory(atPath: digests, withIntermediateDirectories: true)
      try Self.template.write(toFile: config, atomically: true, encoding: .utf8)
    } catch {
      printError("sourcekeep: cannot set up \(dir): \(error.localizedDescription). Check the folder's permissions.")
      throw ExitCode.failure
    }
    if json {
      StandardOutput.write(
        JSONValue.object([("config", .string(config)), ("digests", .string(digests))]).pretty + "\n")
      return
    }
    StandardOutput.write(
      """
      init: wrote \(config) and created \(digests)/
      next:
        1. put a digest (Markdown with [publisher](url) links) in \(digests)/
        2. sourcekeep ingest now      (in \(dir): ./sourcekeep.toml is found on its own)
        3. sourcekeep report

      """)
  }
}
