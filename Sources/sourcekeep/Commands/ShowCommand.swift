import ArgumentParser
import Foundation
import SourcekeepApp
import SourcekeepCore

/// `sourcekeep show URL [--at TIME] [--format html|text|json|original] [--output FILE]`.
struct ShowCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Print the archived copy of a cited URL, offline (html: one self-contained file, images inline).",
    discussion: """
      Reads only the archive (catalog and WARC files): no network, no store lock, so it works \
      while the daemon runs. Default capture: the one reports point at (the first good capture \
      of a drifted link, else the newest). Exits 1 when the URL has no capture.
      """)

  /// `ShowJob.Format` as a command-line value.
  enum Format: String, ExpressibleByArgument, CaseIterable {
    case html, text, json, original
  }

  @OptionGroup var common: CommonOptions

  @Argument(help: "The URL as cited.")
  var url: String

  @Option(help: "The capture nearest this time: ISO-8601 (2026-02-17T08:00:00Z, 2026-02-17) or 1-14 digits (20260217).")
  var at: String?

  @Option(
    name: [.customShort("f"), .long],
    help: "Output format: \(Format.allCases.map(\.rawValue).joined(separator: ", ")).")
  var format: Format = .html

  @Option(name: [.customShort("o"), .long], help: "Write to this file instead of standard output.")
  var output: String?

  @Flag(help: "Same as --format json.")
  var json = false

  func validate() throws {
    if json && format != .html && format != .json {
      throw ValidationError("--json and --format \(format.rawValue) exclude each other: give one of them")
    }
    if let at, CaptureTime.parse(at) == nil {
      throw ValidationError(
        "--at \(at): use an ISO-8601 time (2026-02-17T08:00:00Z), a day (2026-02-17) or 1-14 digits (20260217080000)")
    }
  }

  func run() async throws {
    let context = try CommandContext.load(common)
    let catalog = try context.readCatalog()
    let copy = ArchivedCopy(catalog: catalog, layout: context.layout)
    let result = ShowJob.run(
      copy: copy, url: url, at: at.flatMap(CaptureTime.parse),
      format: json ? .json : ShowJob.Format(rawValue: format.rawValue) ?? .html)
    if !result.stderr.isEmpty { FileHandle.standardError.write(Data(TerminalText.clean(result.stderr).utf8)) }
    guard result.exit == .ok else { throw ExitCode(result.exit) }
    if let output {
      do {
        try Data(result.body).write(to: URL(fileURLWithPath: output), options: .atomic)
      } catch {
        printError("sourcekeep: --output \(output): cannot write: \(error.localizedDescription)")
        throw ExitCode.failure
      }
    } else {
      FileHandle.standardOutput.write(Data(result.body))
    }
  }
}
