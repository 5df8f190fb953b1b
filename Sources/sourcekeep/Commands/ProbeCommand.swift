import ArgumentParser
import SourcekeepCore

/// `sourcekeep probe URL [--json]` (DESIGN.md "Probe"): fetch once, classify, store nothing.
struct ProbeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "probe",
    abstract: "Fetch one URL with the configured policy, classify it and show the redirect chain.")

  @OptionGroup var common: CommonOptions

  @Argument(help: "The URL to fetch.")
  var url: String

  @Flag(help: "Print the probe result as JSON (contract schema).")
  var json = false

  func run() async throws {
    throw NotYetAvailable(command: "probe", issue: "fetcher")
  }
}
