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

  @Option(
    name: [.customShort("f"), .long],
    help: ArgumentHelp(
      "Output format: \(Format.allCases.map(\.rawValue).joined(separator: ", ")) (default: from the --output "
        + "file's extension, else text)."))
  var format: Format?

  @Option(name: [.customShort("o"), .long], help: "Write the report to this file instead of standard output.")
  var output: String?

  @Option(
    name: .customLong("fail-on"),
    help: "Exit 2 when a link in the report is in this state (repeatable), e.g. --fail-on dead --fail-on failing.")
  var failOn: [LinkState] = []

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
    switch format ?? output.flatMap(Format.init(outputPath:)) ?? .text {
    case .text:
      text = TextReport.render(
        model, colour: output == nil && common.wantsColour(isTerminal: isatty(STDOUT_FILENO) == 1))
    case .json: text = JSONReport.render(model)
    case .markdown: text = MarkdownReport.render(model)
    case .csv: text = CSVReport.render(model)
    case .html: text = HTMLReport.render(model)
    }
    if let output {
      let folder = (output as NSString).deletingLastPathComponent
      if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
        printError(
          "sourcekeep: --output \(output): the folder \(folder) does not exist; create it or choose another path")
        throw ExitCode.failure
      }
      do {
        try text.write(toFile: output, atomically: true, encoding: .utf8)
      } catch {
        printError("sourcekeep: --output \(output): cannot write: \(error.localizedDescription)")
        throw ExitCode.failure
      }
    } else {
      print(text, terminator: "")
    }
    // --fail-on: the report is written either way; the exit code tells CI (as lychee does).
    let failing = model.links.filter { failOn.contains($0.state) }
    if !failing.isEmpty {
      if !common.quiet {
        printError(
          "sourcekeep: --fail-on: \(failing.count) link(s) in state "
            + Set(failing.map(\.state.rawValue)).sorted().joined(separator: ", "))
      }
      throw ExitCode.linksFailed
    }
  }

  /// The storage folder as an absolute path, for `file://` links to WARC files.
  private func absolute(_ path: String) -> String {
    path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
  }
}

extension LinkState: ExpressibleByArgument {}

extension ReportCommand.Format {
  /// The format an `--output` file name asks for (`r.html`, `r.md`, `r.json`, `r.csv`, `r.txt`).
  init?(outputPath: String) {
    switch (outputPath as NSString).pathExtension.lowercased() {
    case "html", "htm": self = .html
    case "md", "markdown": self = .markdown
    case "json": self = .json
    case "csv": self = .csv
    case "txt": self = .text
    default: return nil
    }
  }
}
