import ArgumentParser
import Foundation
import SourcekeepApp
import SourcekeepCore

/// `sourcekeep export wacz`: the archive as one WACZ package (docs/design.md#wacz-export).
struct ExportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Export the archive in a standard package format.",
    subcommands: [ExportWACZCommand.self])
}

struct ExportWACZCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "wacz",
    abstract: "Write the selected captures as a WACZ 1.1.1 package (ReplayWeb.page, pywb open it).",
    discussion: """
      The package holds, cut from the store's WARC files, the records of every capture of the \
      links the selected digests cite (all links without --digest): request, response or revisit \
      (and the response a revisit refers to), metadata; plus indexes/index.cdxj, \
      pages/pages.jsonl (one line per cited article) and datapackage.json. It only reads the \
      store: a running daemon is not disturbed.
      """)

  @OptionGroup var common: CommonOptions

  @Option(help: "The file to write (FILE.wacz).")
  var output: String

  @Option(help: "Only the links this digest cites: file name, date (2026-02-17) or path. Repeatable.")
  var digest: [String] = []

  @Option(help: "Only captures made since TIME (a duration such as 7d, or an ISO-8601 time).")
  var since: String?

  @Flag(help: "Print the result as one JSON document.")
  var json = false

  func run() async throws {
    let context = try CommandContext.load(common)
    let sinceDate = try since.map(parseSince)
    let catalog = try context.readCatalog()
    let folder = (output as NSString).deletingLastPathComponent
    if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
      printError("sourcekeep: --output \(output): the folder \(folder) does not exist; create it first")
      throw ExitCode.usage
    }
    let chosen = try catalog.exportSelection(digests: digest, since: sinceDate)
    if !chosen.unmatched.isEmpty {
      printError(
        "sourcekeep: --digest \(chosen.unmatched.joined(separator: ", ")): no such digest in the catalog. "
          + "`sourcekeep report` lists the digests.")
      throw ExitCode.usage
    }
    let title = digest.isEmpty ? "sourcekeep archive" : "sourcekeep: " + digest.joined(separator: ", ")
    let summary: WACZExporter.Summary
    do {
      summary = try WACZExporter(catalog: catalog, root: context.layout.root).export(
        chosen.selection, to: output, title: title)
    } catch {
      printError("sourcekeep: export to \(output) failed: \(error)")
      throw ExitCode.failure
    }
    if json {
      StandardOutput.write(
        JSONValue.object([
          ("output", .string(output)), ("warc_files", .int(Int64(summary.warcFiles))),
          ("records", .int(Int64(summary.records))), ("pages", .int(Int64(summary.pages))),
          ("bytes", .int(Int64(summary.bytes))),
        ]).pretty + "\n")
    } else {
      StandardOutput.write(
        "export: \(output): \(summary.pages) page(s), \(summary.records) record(s) from \(summary.warcFiles) WARC "
          + "file(s), \(ByteSize.forPeople(Int64(summary.bytes)))\n")
    }
  }
}
