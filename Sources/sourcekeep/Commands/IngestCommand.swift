import ArgumentParser
import SourcekeepCore

struct IngestCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ingest",
    abstract: "Read digests, register citations and capture new links.")

  @OptionGroup var common: CommonOptions

  func run() async throws {
    throw NotYetAvailable(command: "ingest", issue: "capture")
  }
}
