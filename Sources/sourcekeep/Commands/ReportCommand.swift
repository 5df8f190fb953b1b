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
    let catalog = try context.catalog(create: false)
    let model = try catalog.reportModel(filter: ReportFilter(digest: digest, states: states))
    if let digest, model.digests.isEmpty {
      printError("sourcekeep: --digest \(digest): no such digest in the catalog. `sourcekeep report` lists the digests.")
      throw ExitCode.usage
    }
    let text: String
    switch format {
    case .text: text = TextReport.render(model)
    case .json: text = JSONReport.render(model)
    case .markdown, .csv, .html:
      throw NotYetAvailable(command: "report --format \(format.rawValue)", issue: "link-health report")
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
}

extension LinkState: ExpressibleByArgument {}
