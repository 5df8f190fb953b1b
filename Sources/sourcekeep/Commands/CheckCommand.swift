import ArgumentParser
import SourcekeepCore

struct CheckCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Re-check links that are due and update their state.")

  @OptionGroup var common: CommonOptions

  func run() async throws {
    throw NotYetAvailable(command: "check", issue: "link health")
  }
}
