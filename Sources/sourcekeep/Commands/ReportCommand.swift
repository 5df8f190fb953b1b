public import ArgumentParser
import Foundation
import SourcekeepCore

/// `sourcekeep report [--format …] [--output FILE] [--digest NAME-OR-DATE] [--state STATE …]`.
struct ReportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Link-health report: which citations died and where the archived copy is.")

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, markdown, json, csv, html
  }

  @OptionGroup var common: CommonOptions

  @Option(help: "Output format: \(Format.allCases.map(\.rawValue).joined(separator: ", ")).")
  var format: Format = .text

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
    var model = try catalog.reportModel(filter: ReportFilter(digest: digest, states: states))
    model.storageDir = absolute(context.layout.root)
    if let digest, model.digests.isEmpty {
      printError(
        "sourcekeep: --digest \(digest): no such digest in the catalog. `sourcekeep report` lists the digests.")
      throw ExitCode.usage
    }
    let text: String
    switch format {
    case .text: text = TextReport.render(model, colour: output == nil && wantsColour())
    case .json: text = JSONReport.render(model)
    case .markdown: text = MarkdownReport.render(model)
    case .csv: text = CSVReport.render(model)
    case .html: text = HTMLReport.render(model)
    }
    if let output {
      do {
        try text.write(toFile: output, atomically: true, encoding: .utf8)
      } catch {
        printError("sourcekeep: --output \(output): cannot write: \(error.localizedDescription)")
        throw ExitCode.failure
      }
    } else {
      print(text, terminator: "")
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
