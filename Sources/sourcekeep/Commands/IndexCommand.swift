import ArgumentParser
import Foundation
import SourcekeepApp
import SourcekeepCore

/// `sourcekeep index`: (re)write `<storage.dir>/indexes/index.cdxj` (docs/design.md#cdxj-index).
struct IndexCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "index",
    abstract: "(Re)write the CDXJ index <storage.dir>/indexes/index.cdxj (pywb reads it).",
    discussion: """
      Captures keep the index current on their own; this command writes it whole, in one file, \
      from the catalog (no WARC file is read, except for captures made before the index existed). \
      It takes the store lock: while the daemon runs, the daemon keeps the index current.
      """)

  @OptionGroup var common: CommonOptions

  @Flag(help: "Print the result as one JSON document.")
  var json = false

  func run() async throws {
    let context = try CommandContext.load(common)
    let lock = try context.lock()
    defer { withExtendedLifetime(lock) {} }
    let catalog = try context.catalog(create: false)
    let files = CDXJIndexFiles(root: context.layout.root)
    let filled: IndexBackfill.Result
    let lines: Int
    do {
      filled = try IndexBackfill.run(catalog: catalog, root: context.layout.root)
      lines = try files.rewrite(from: catalog)
    } catch {
      printError("sourcekeep: cannot write the index in \(files.directory): \(error)")
      throw ExitCode.failure
    }
    for problem in filled.problems {
      printError("sourcekeep: warning: \(problem); `sourcekeep verify` checks the archive")
    }
    if filled.problemCount > filled.problems.count {
      printError(
        "sourcekeep: warning: and \(filled.problemCount - filled.problems.count) more record(s) that could not be "
          + "read; `sourcekeep verify` checks the archive")
    }
    if json {
      StandardOutput.write(
        JSONValue.object([
          ("path", .string(files.main)), ("lines", .int(Int64(lines))),
          ("backfilled_snapshots", .int(Int64(filled.filled))),
          ("problems", .array(filled.problems.map { .string($0) })),
          ("problem_count", .int(Int64(filled.problemCount))),
        ]).pretty + "\n")
    } else {
      var text = "index: \(lines) line(s) in \(files.main)"
      if filled.filled > 0 { text += " (\(filled.filled) older capture(s) read from the WARC files)" }
      StandardOutput.write(text + "\n")
    }
  }
}
