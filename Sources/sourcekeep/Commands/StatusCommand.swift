import ArgumentParser
import SourcekeepCore

struct StatusCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status",
    abstract: "Show the store, counts by state and the last run.")

  @OptionGroup var common: CommonOptions

  func run() async throws {
    throw NotYetAvailable(command: "status", issue: "status")
  }
}
