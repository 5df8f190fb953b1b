import ArgumentParser
import SourcekeepCore

/// `sourcekeep extract FILE [--url URL] [--format json|text]` (DESIGN.md "Extract").
struct ExtractCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "extract",
    abstract: "Extract title, metadata, main text and soft-404 signals from a saved HTML file.")

  @Argument(help: "HTML file(s) to read.")
  var files: [String] = []

  @Option(help: "The URL the page was fetched from (resolves relative links).")
  var url: String?

  @Option(help: "Output format: json or text.")
  var format: String = "json"

  @Flag(help: "Read many files in one process; print one JSON object per line.")
  var jsonl = false

  func run() async throws {
    throw NotYetAvailable(command: "extract", issue: "page understanding")
  }
}
