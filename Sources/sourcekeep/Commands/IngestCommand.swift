import ArgumentParser
import Foundation
import Logging
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
        archived as WARC; failed captures are retried on later runs.
        """)

    @OptionGroup var common: CommonOptions

    @Option(name: .customLong("digest"), help: "Read only this digest file (repeatable).")
    var digests: [String] = []

    @Flag(help: "Register digests and citations only; do not fetch anything.")
    var noCapture = false

    func run() async throws {
      let context = try CommandContext.load(common)
      let files = digests.map { ($0 as NSString).standardizingPath }
      for file in files where !FileManager.default.fileExists(atPath: file) {
        printError("sourcekeep: --digest \(file): no such file. Give the path of a digest file.")
        throw ExitCode.badInput
      }
      let lock = try context.lock()
      defer { withExtendedLifetime(lock) {} }
      let catalog = try context.catalog(create: true)
      let journal = context.journal()
      let reporter = ProgressReporter(verb: "capturing")
      var fetcher: Fetcher?
      var stage: CaptureStage?
      if !noCapture {
        let made = try context.fetcher()
        fetcher = made
        let runner = LinkRunner(
          mode: .capture, config: context.config, fetcher: made, catalog: catalog, journal: journal,
          layout: context.layout, configDigest: context.configDigest)
        stage = CaptureStage(runner: runner, starting: reporter.starting, progress: reporter.update)
      }
      let run = IngestRun(catalog: catalog, journal: journal)
      let summary: IngestSummary
      do {
        summary = try await run.run(
          paths: context.config.digests.paths, files: files.isEmpty ? nil : files, capture: stage)
      } catch {
        await fetcher?.shutdown()
        printError("sourcekeep: \(error)")
        throw ExitCode.failure
      }
      await fetcher?.shutdown()
      for problem in summary.problems {
        printError("sourcekeep: warning: \(problem)")
      }
      print(
        """
        ingest: \(summary.digestsRead) digest(s) read (\(summary.digestsNew) new, \(summary.digestsUpdated) updated, \
        \(summary.digestsUnchanged) unchanged), \(summary.problems.count) skipped
          entries \(summary.entries) · source citations \(summary.sourceCitations) · \
        mentions \(summary.mentionCitations) · links \(summary.links) (\(summary.newLinks) new)
        """)
      if let c = summary.capture {
        let statuses = c.byStatus.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }
        print(
          """
          capture: \(c.total) link(s) without a snapshot · captured \(c.captured) · revisits \(c.revisits) · \
          failed \(c.failed) · inconclusive \(c.inconclusive) · \(String(format: "%.1f", Double(c.bytesWritten) / 1_048_576)) MB written
            by status: \(statuses.isEmpty ? "nothing to do" : statuses.joined(separator: " · "))
          """)
      } else {
        print("capture: skipped (--no-capture); new links stay pending")
      }
      print("  catalog \(catalog.path)")
      if summary.digestsRead == 0 && !summary.problems.isEmpty {
        throw ExitCode.badInput
      }
    }
  }
}
