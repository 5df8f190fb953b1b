public import ArgumentParser
import Foundation
import SKSystem
import SourcekeepCore

/// `sourcekeep report [--format …] [--output FILE] [--digest NAME-OR-DATE] [--state STATE …]`.
struct ReportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Link-health report: which citations died and where the archived copy is.")

  @OptionGroup var common: CommonOptions

  @Option(
    name: [.customShort("f"), .long],
    help: ArgumentHelp(
      "Output format: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")) (default: from the --output "
        + "file's extension, else text)."))
  var format: ReportFormat?

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

  @Flag(
    name: .customLong("list-pending"),
    help: "Text: a card per link not checked yet, instead of one line counting them.")
  var listPending = false

  @Flag(help: "CSV: start with a UTF-8 byte order mark, so Excel shows Chinese text right (off by default).")
  var bom = false

  func validate() throws {
    if bom && format != nil && format != .csv {
      throw ValidationError("--bom applies to CSV only (--format csv or an --output file ending in .csv)")
    }
  }

  func run() async throws {
    let context = try CommandContext.load(common)
    let catalog = try context.readCatalog()
    let format = format ?? output.flatMap(ReportFormat.init(outputPath:)) ?? .text
    if let output {
      let folder = (output as NSString).deletingLastPathComponent
      if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
        printError(
          "sourcekeep: --output \(output): the folder \(folder) does not exist; create it or choose another path")
        throw ExitCode.failure
      }
    }
    // Streamed: the summary comes from SQL aggregates, then each link is written as it is
    // read, so memory does not grow with the catalog (docs/performance.md#scale). A file is
    // written beside its final name and renamed at the end, as before (never half a report).
    let temporary = output.map { $0 + ".sourcekeep-tmp" }
    let handle: FileHandle
    if let output, let temporary {
      guard FileManager.default.createFile(atPath: temporary, contents: nil),
        let file = FileHandle(forWritingAtPath: temporary)
      else {
        printError("sourcekeep: --output \(output): cannot write (is the folder writable?)")
        throw ExitCode.failure
      }
      handle = file
    } else {
      handle = FileHandle.standardOutput
    }
    let out = ReportOutput(handle: handle)
    let colour = output == nil && common.wantsColour(isTerminal: isatty(STDOUT_FILENO) == 1)
    // Text wraps at the terminal's width on a TTY only: piped, each URL and line stays whole.
    let width = output == nil ? TerminalSize.columns(STDOUT_FILENO) : nil
    let (listPending, bom) = (listPending, bom)
    let publicURL = context.loaded.config.web.publicURL
    let failOn = failOn
    // The links in a --fail-on state, by state (from the summary: no second pass), or nil when
    // --digest named no digest.
    let failing = try catalog.withReport(
      filter: ReportFilter(digest: digest, states: states), storageDir: absolute(context.layout.root),
      publicURL: publicURL.isEmpty ? nil : publicURL
    ) { report -> [(LinkState, Int)]? in
      if report.filter.digest != nil && report.summary.digests.isEmpty { return nil }
      try format.write(report, colour: colour, width: width, listPending: listPending, bom: bom, to: out)
      return report.summary.byState.filter { failOn.contains($0.0) && $0.1 > 0 }
    }
    do {
      try out.finish()
      if let output, let temporary {
        try handle.close()
        if failing != nil && FileManager.default.fileExists(atPath: output) {
          _ = try FileManager.default.replaceItemAt(
            URL(fileURLWithPath: output), withItemAt: URL(fileURLWithPath: temporary))
        } else if failing != nil {
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
    guard let failing else {
      printError(
        "sourcekeep: --digest \(digest ?? ""): no such digest in the catalog. `sourcekeep report` lists the digests.")
      throw ExitCode.usage
    }
    // --fail-on: the report is written either way; the exit code tells CI (as lychee does).
    if !failing.isEmpty {
      if !common.quiet {
        printError(
          "sourcekeep: --fail-on: \(failing.reduce(0) { $0 + $1.1 }) link(s) in state "
            + failing.map(\.0.rawValue).sorted().joined(separator: ", "))
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
extension ReportFormat: ExpressibleByArgument {}

extension ReportFormat {
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
