public import ArgumentParser
import Foundation
import SourcekeepCore

/// `sourcekeep report [--format …] [--output FILE] [--digest NAME-OR-DATE] [--state STATE …]`.
struct ReportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Link-health report: which citations died and where the archived copy is.")

  @OptionGroup var common: CommonOptions

  @Option(help: "Output format: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
  var format: ReportFormat = .text

  @Option(help: "Write the report to this file instead of standard output.")
  var output: String?

  @Option(help: "Only this digest: file name, date (2026-02-17) or path.")
  var digest: String?

  @Option(
    name: .customLong("state"),
    help: "Only links in this state (repeatable): \(LinkState.allCases.map(\.rawValue).joined(separator: ", ")).")
  var states: [LinkState] = []

  func run() async throws {
    let context = try CommandContext.load(common)
    let catalog = try context.readCatalog()
    // Streamed: the summary comes from SQL aggregates, then each link is written as it is
    // read, so memory does not grow with the catalog (docs/performance.md#scale). A file is
    // written beside its final name and renamed at the end, as before (never half a report).
    let temporary = output.map { $0 + ".sourcekeep-tmp" }
    let handle: FileHandle
    if let output, let temporary {
      guard FileManager.default.createFile(atPath: temporary, contents: nil),
        let file = FileHandle(forWritingAtPath: temporary)
      else {
        printError("sourcekeep: --output \(output): cannot write (is the folder there and writable?)")
        throw ExitCode.failure
      }
      handle = file
    } else {
      handle = FileHandle.standardOutput
    }
    let out = ReportOutput(handle: handle)
    let format = format
    let colour = output == nil && wantsColour()
    let publicURL = context.loaded.config.web.publicURL
    let found = try catalog.withReport(
      filter: ReportFilter(digest: digest, states: states), storageDir: absolute(context.layout.root),
      publicURL: publicURL.isEmpty ? nil : publicURL
    ) { report in
      if report.filter.digest != nil && report.summary.digests.isEmpty { return false }
      try format.write(report, colour: colour, to: out)
      return true
    }
    do {
      try out.finish()
      if let output, let temporary {
        try handle.close()
        if found && FileManager.default.fileExists(atPath: output) {
          _ = try FileManager.default.replaceItemAt(
            URL(fileURLWithPath: output), withItemAt: URL(fileURLWithPath: temporary))
        } else if found {
          try FileManager.default.moveItem(atPath: temporary, toPath: output)
        } else {
          try? FileManager.default.removeItem(atPath: temporary)
        }
      }
    } catch {
      if let temporary { try? FileManager.default.removeItem(atPath: temporary) }
      printError("sourcekeep: --output \(output ?? "-"): cannot write: \(error.localizedDescription)")
      throw ExitCode.failure
    }
    if let digest, !found {
      printError(
        "sourcekeep: --digest \(digest): no such digest in the catalog. `sourcekeep report` lists the digests.")
      throw ExitCode.usage
    }
  }

  /// Colour only on a terminal, and never when `NO_COLOR` is set (no-color.org) or `TERM=dumb`.
  private func wantsColour() -> Bool {
    let env = ProcessInfo.processInfo.environment
    return isatty(STDOUT_FILENO) == 1 && env["NO_COLOR"] == nil && env["TERM"] != "dumb"
  }

  /// The storage folder as an absolute path, for `file://` links to WARC files.
  private func absolute(_ path: String) -> String {
    path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
  }
}

extension LinkState: ExpressibleByArgument {}
extension ReportFormat: ExpressibleByArgument {}
