import ArgumentParser
import Foundation
import SourcekeepCore

/// `sourcekeep status [--json]`.
struct StatusCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status",
    abstract: "Show the store, link counts by state and the last run.")

  @OptionGroup var common: CommonOptions

  @Flag(help: "Print status as JSON.")
  var json = false

  func run() async throws {
    let context = try CommandContext.load(common)
    let layout = context.layout
    let hasCatalog = FileManager.default.fileExists(atPath: layout.catalog)
    var counts: [LinkState: Int] = [:]
    var totals = (digests: 0, entries: 0, citations: 0, links: 0)
    if hasCatalog {
      let catalog = try context.catalog(create: false)
      counts = try catalog.linkCountsByState()
      totals = try catalog.totals()
    }
    let reader = JournalReader(directory: layout.journalDirectory)
    let lastRun = reader.last("run.finish")
    let daemon = "not running (the daemon arrives in a later release)"
    if json {
      let value = JSONValue.object([
        ("store", .string(layout.root)),
        ("catalog", hasCatalog ? .string(layout.catalog) : .null),
        ("journal", .string(layout.journalDirectory)),
        ("config", .string(context.loaded.origin.description)),
        ("daemon", .object([("running", .bool(false))])),
        (
          "totals",
          .object([
            ("digests", .int(Int64(totals.digests))), ("entries", .int(Int64(totals.entries))),
            ("citations", .int(Int64(totals.citations))), ("links", .int(Int64(totals.links))),
          ])
        ),
        ("by_state", .object(LinkState.allCases.map { ($0.rawValue, .int(Int64(counts[$0] ?? 0))) })),
        ("last_run", lastRun?.value ?? .null),
      ])
      print(value.pretty)
      return
    }
    print("store     \(layout.root)\(hasCatalog ? "" : " (empty: run `sourcekeep ingest now`)")")
    print("config    \(context.loaded.origin)")
    print("daemon    \(daemon)")
    print("journal   \(layout.journalDirectory)")
    print(
      "catalog   digests \(totals.digests) · entries \(totals.entries) · citations \(totals.citations) · links \(totals.links)"
    )
    let states = LinkState.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: " · ")
    print("links     \(states)")
    if let lastRun {
      print("last run  \(JournalReader.human(lastRun))")
    } else {
      print("last run  none")
    }
  }
}
