import ArgumentParser
import SourcekeepCore

struct VerifyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Check every catalog pointer and WARC record.")

  @OptionGroup var common: CommonOptions

  func run() async throws {
    throw NotYetAvailable(command: "verify", issue: "capture")
  }
}
