import ArgumentParser
import Foundation
import SourcekeepApp
import SourcekeepCore

/// `sourcekeep forget --digest NAME-OR-DATE`: drop a digest's citations, keep the archive.
struct ForgetCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "forget",
    abstract: "Drop a digest's citations from the catalog (the archive is kept).",
    discussion: """
      For a digest removed from disk: its entries and citations are deleted; links that no other \
      digest cites are no longer captured or checked. Their checks, snapshots and WARC records \
      stay (`show` and `verify` still see them). If the file is still under [digests] paths, \
      the next ingest reads it again: move it away or add it to [digests] exclude.
      """)

  @OptionGroup var common: CommonOptions

  @Option(help: "The digest: file name, date (2026-02-17) or path.")
  var digest: String

  @Flag(help: "Print the result as one JSON document.")
  var json = false

  func run() async throws {
    let context = try CommandContext.load(common)
    let lock = try context.lock()
    defer { withExtendedLifetime(lock) {} }
    let catalog = try context.catalog(create: false)
    let wanted = resolved(digest)
    let matches = try catalog.digests(matching: wanted)
    if matches.isEmpty {
      printError(
        "sourcekeep: --digest \(digest): no such digest in the catalog. `sourcekeep report` lists the digests.")
      throw ExitCode.usage
    }
    if matches.count > 1 {
      printError(
        "sourcekeep: --digest \(digest) names \(matches.count) digests (\(matches.map(\.name).joined(separator: ", "))); "
          + "give the file name or path of one")
      throw ExitCode.usage
    }
    let result = try catalog.forget(digest: wanted)
    let onDisk = result.digests.filter { FileManager.default.fileExists(atPath: $0.path) }
    context.journal().record(
      "digest.forget",
      [
        ("digest", .string(result.digests.first?.name ?? digest)), ("path", .optional(result.digests.first?.path)),
        ("entries", .int(Int64(result.entries))), ("citations", .int(Int64(result.citations))),
        ("links_uncited", .int(Int64(result.linksNowUncited))), ("archive", "kept"),
      ])
    if json {
      StandardOutput.write(
        JSONValue.object([
          ("digest", .optional(result.digests.first?.name)), ("path", .optional(result.digests.first?.path)),
          ("entries", .int(Int64(result.entries))), ("citations", .int(Int64(result.citations))),
          ("links_uncited", .int(Int64(result.linksNowUncited))), ("archive_kept", true),
          ("still_on_disk", .bool(!onDisk.isEmpty)),
        ]).pretty + "\n")
    } else {
      StandardOutput.write(
        "forget: \(result.digests.first?.name ?? digest): \(result.entries) entries and \(result.citations) "
          + "citation(s) removed; \(result.linksNowUncited) link(s) no longer cited are not checked any more "
          + "(their snapshots and WARC records are kept)\n")
    }
    for file in onDisk {
      printError(
        "sourcekeep: warning: \(file.path) is still on disk: the next ingest reads it again. Move it out of "
          + "[digests] paths or add it to [digests] exclude.")
    }
  }

  /// A relative path the user typed (`digests/2026-02-17.md`) as the absolute path the catalog
  /// holds; names and dates pass through.
  private func resolved(_ text: String) -> String {
    guard text.contains("/"), !text.hasPrefix("/") else { return text }
    return ((FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(text) as NSString)
      .standardizingPath
  }
}
