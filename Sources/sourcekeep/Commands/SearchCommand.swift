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

  @Option(help: "Show at most this many results.")
  var limit: Int = 20

  func run() async throws {
    let context = try CommandContext.load(common)
    let catalog = try context.catalog(create: false)
    let hits = try catalog.search(query, limit: limit)
    if json {
      let value = JSONValue.array(
        hits.map {
          .object([
            ("url", .string($0.url)), ("title", .optional($0.title)), ("publisher", .optional($0.publisher)),
            ("digest_dates", .array($0.digestDates.map { .string($0) })), ("captured_at", .string($0.capturedAt)),
            ("snippet", .string($0.snippet)),
          ])
        })
      print(value.pretty)
      return
    }
    if hits.isEmpty {
      print("no archived article contains \"\(query)\"")
      return
    }
    for hit in hits {
      print("\(hit.title ?? "(untitled)") — \(hit.publisher ?? "?") · digest \(hit.digestDates.joined(separator: ", "))")
      print("  \(hit.url)")
      print("  \(hit.snippet.replacingOccurrences(of: "\n", with: " "))")
    }
  }
}
