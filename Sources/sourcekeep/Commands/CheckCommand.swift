import ArgumentParser
import SourcekeepCore

/// `sourcekeep check now [--all] [--url URL ...]`.
struct CheckCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Re-check links for rot.",
    subcommands: [Now.self])

  struct Now: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "now",
      abstract: "Re-check links that are due and update their state.")

    @OptionGroup var common: CommonOptions

    @Flag(help: "Re-check every link, due or not.")
    var all = false

    @Option(name: .customLong("url"), help: "Re-check only this URL (repeatable).")
    var urls: [String] = []

    func run() async throws {
      throw NotYetAvailable(command: "check now", issue: "link-health")
    }
  }
}
