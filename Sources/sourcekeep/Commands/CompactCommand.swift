import ArgumentParser
import Foundation
import SourcekeepApp
import SourcekeepCore

/// `sourcekeep compact`: reclaim the catalog's free space (docs/design.md#compact).
struct CompactCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compact",
    abstract: "Reclaim the catalog's unused space and print its size per link.",
    discussion: """
      Merges the full-text index into one segment and rewrites the catalog without the pages that \
      deleted rows left free (SQLite's VACUUM); the WARC files are not touched. Worth running after \
      `forget` of many digests, or now and then on a large store. It takes the store lock (stop the \
      daemon first) and needs free disk space about the size of the catalog while it runs.
      """)

  @OptionGroup var common: CommonOptions

  @Flag(help: "Print the result as one JSON document.")
  var json = false

  func run() async throws {
    let context = try CommandContext.load(common)
    let lock = try context.lock()
    defer { withExtendedLifetime(lock) {} }
    let catalog = try context.catalog(create: false)
    let started = Date()
    let result = try catalog.compact()
    let seconds = Date().timeIntervalSince(started)
    context.journal().record(
      "catalog.compact",
      [
        ("bytes_before", .int(result.bytesBefore)), ("bytes_after", .int(result.bytesAfter)),
        ("links", .int(Int64(result.links))), ("seconds", .double(seconds)),
      ])
    if json {
      StandardOutput.write(
        JSONValue.object([
          ("catalog", .string(catalog.path)), ("bytes_before", .int(result.bytesBefore)),
          ("bytes_after", .int(result.bytesAfter)), ("links", .int(Int64(result.links))),
          ("bytes_per_link", .int(result.bytesPerLink)),
        ]).pretty + "\n")
    } else {
      StandardOutput.write(
        "compact: \(catalog.path): \(ByteSize.forPeople(result.bytesBefore)) → \(ByteSize.forPeople(result.bytesAfter))"
          + " (\(ByteSize.forPeople(result.bytesPerLink)) per link, \(result.links) link(s)) in "
          + String(format: "%.1f s", seconds) + "\n")
    }
  }
}
