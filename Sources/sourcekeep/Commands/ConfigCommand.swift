import ArgumentParser
import SourcekeepCore

struct ConfigCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "config",
    abstract: "Inspect the configuration.")

  @OptionGroup var common: CommonOptions

  func run() async throws {
    throw NotYetAvailable(command: "config", issue: "config")
  }
}
