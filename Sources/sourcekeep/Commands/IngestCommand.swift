import ArgumentParser
import Foundation
import SourcekeepApp
import SourcekeepCore

/// `sourcekeep ingest now [--digest FILE ...]`.
struct IngestCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ingest",
    abstract: "Read digests, register their citations and capture new links.",
    subcommands: [Now.self])

  struct Now: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "now",
      abstract: "Read digests, register citations, capture every link without a snapshot, print a summary.",
      discussion: """
        Reads every *.md, *.markdown and *.html file under [digests] paths (or only the files \
        given with --digest). A file that is not a digest is skipped with a warning and an \
        `error` journal event; the others are still read. Then every link without a snapshot \
        whose retry time has come is fetched, classified and, when it shows the article, \
        archived as WARC; failed captures are retried on later runs. With --digest, only the \
        links those files cite are captured: other digests' backlog waits for a full ingest.
        """)

    @OptionGroup var common: CommonOptions

    @Flag(help: "One JSON line per finished link, then a summary line (docs/design.md#json-output).")
    var json = false

    @Option(name: .customLong("digest"), help: "Read only this digest file (repeatable).")
    var digests: [String] = []

    @Flag(help: "Register digests and citations only; do not fetch anything.")
    var noCapture = false

    func run() async throws {
      let context = try CommandContext.load(common)
      let cwd = FileManager.default.currentDirectoryPath
      let files = digests.map { (($0.hasPrefix("/") ? $0 : cwd + "/" + $0) as NSString).standardizingPath }
      for file in files where !FileManager.default.fileExists(atPath: file) {
        printError("sourcekeep: --digest \(file): no such file. Give the path of a digest file.")
        throw ExitCode.badInput
      }
      let request = ControlRequest(command: .ingest, digests: files.isEmpty ? nil : files, noCapture: noCapture)
      if try DaemonForwarding.run(
        request, layout: context.layout, verb: "capturing", mode: common.mode(json: json))
      {
        return
      }
      let lock = try context.lock()
      defer { withExtendedLifetime(lock) {} }
      let catalog = try context.catalog(create: true)
      let journal = context.journal()
      let (loaded, capture) = (context.loaded, !noCapture)
      let only = files.isEmpty ? nil : files
      try await InterruptibleRun.run(
        command: "ingest", journal: journal,
        reporter: ProgressReporter(verb: "capturing", mode: common.mode(json: json))
      ) { hooks in
        await Jobs.ingest(
          loaded: loaded, catalog: catalog, journal: journal, files: only, capture: capture, hooks: hooks)
      }
    }
  }
}
