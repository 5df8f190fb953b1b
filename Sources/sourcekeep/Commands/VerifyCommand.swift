import ArgumentParser
import SourcekeepCore

/// `sourcekeep verify`.
struct VerifyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Check every catalog pointer and every WARC record.")

  @OptionGroup var common: CommonOptions

  func run() async throws {
    throw NotYetAvailable(command: "verify", issue: "capture/WARC")
  }
}
