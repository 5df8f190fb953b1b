import ArgumentParser
import SourcekeepCore

/// `sourcekeep search QUERY [--json]`.
struct SearchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "search",
    abstract: "Search the full text of archived articles (Chinese substrings too).")

  @OptionGroup var common: CommonOptions

  @Argument(help: "Words or a substring to find.")
  var query: String

  @Flag(help: "Print results as JSON.")
  var json = false

  func run() async throws {
    throw NotYetAvailable(command: "search", issue: "capture")
  }
}
