import ArgumentParser
import Foundation
import SourcekeepCore

/// `sourcekeep search QUERY [--json]`.
struct SearchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "search",
    abstract: "Search the full text of archived articles (Chinese substrings too).")

  @OptionGroup var common: CommonOptions

  @Argument(
    help: ArgumentHelp(
      "Words to find (all of them, in any order); \"a phrase\" in quotes as written.",
      discussion: "Titles, the text, the page's publisher and the publisher the digest cites are searched."))
  var query: [String] = []

  /// The words as one query: `search 千问 开源` is `search "千问 开源"`'s two words, not an error.
  var text: String { query.joined(separator: " ") }

  func validate() throws {
    if text.trimmingCharacters(in: .whitespaces).isEmpty {
      throw ValidationError("Missing the words to search for, e.g. sourcekeep search 千问 开源")
    }
  }

  @Flag(help: "Print results as JSON.")
  var json = false

  @Option(help: "Show at most this many results.")
  var limit: Int = 20

  func run() async throws {
    let context = try CommandContext.load(common)
    let catalog = try context.readCatalog()
    let hits = try catalog.search(text, limit: limit)
    if json {
      let value = JSONValue.array(
        hits.map {
          .object([
            ("url", .string($0.url)), ("title", .optional($0.title)), ("publisher", .optional($0.publisher)),
            ("cited_publishers", .array($0.citedPublishers.map { .string($0) })), ("state", .string($0.state)),
            ("digest_dates", .array($0.digestDates.map { .string($0) })), ("captured_at", .string($0.capturedAt)),
            ("snippet", .string($0.snippet)), ("open", .string(Self.openCommand($0.url))),
          ])
        })
      print(value.pretty)
      return
    }
    if hits.isEmpty {
      print(TerminalText.clean("no archived article contains \"\(text)\"", singleLine: true))
      return
    }
    for hit in hits {
      let dates = hit.digestDates.joined(separator: ", ")
      let publisher = hit.publisher ?? "publisher unknown"
      let head = "\(hit.title ?? "(untitled)") — \(publisher) · \(hit.state) · digest \(dates)"
      print(TerminalText.clean(head, singleLine: true))
      print("  " + TerminalText.clean(hit.url, singleLine: true))
      print("  " + TerminalText.clean(hit.snippet, singleLine: true))
      print("  open: " + TerminalText.clean(Self.openCommand(hit.url), singleLine: true))
    }
  }

  /// How to read the archived copy offline (`show`, docs/design.md#cli); the URL is quoted for
  /// a POSIX shell.
  static func openCommand(_ url: String) -> String {
    "sourcekeep show '" + url.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}
