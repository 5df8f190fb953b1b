import ArgumentParser
import Foundation
import SourcekeepCore

/// `sourcekeep ingest now [--digest FILE ...]`.
struct IngestCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ingest",
    abstract: "Read digests and register their citations.",
    subcommands: [Now.self])

  struct Now: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "now",
      abstract: "Read digests, register citations and new links, then print a summary.",
      discussion: """
        Reads every *.md, *.markdown and *.html file under [digests] paths (or only the files \
        given with --digest). A file that is not a digest is skipped with a warning and an \
        `error` journal event; the others are still read. Capturing new links arrives with \
        the capture engine: until then new links stay `pending`.
        """)

    @OptionGroup var common: CommonOptions

    @Option(name: .customLong("digest"), help: "Read only this digest file (repeatable).")
    var digests: [String] = []

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
      let run = IngestRun(catalog: catalog, journal: context.journal())
      let summary: IngestSummary
      do {
        summary = try run.run(paths: context.config.digests.paths, files: files.isEmpty ? nil : files)
      } catch {
        printError("sourcekeep: \(error)")
        throw ExitCode.failure
      }
      for problem in summary.problems {
        printError("sourcekeep: warning: \(problem)")
      }
      print(
        """
        ingest: \(summary.digestsRead) digest(s) read (\(summary.digestsNew) new, \(summary.digestsUpdated) updated, \
        \(summary.digestsUnchanged) unchanged), \(summary.problems.count) skipped
          entries \(summary.entries) · source citations \(summary.sourceCitations) · \
        mentions \(summary.mentionCitations) · links \(summary.links) (\(summary.newLinks) new)
          new links are pending: capture is not available in this release
          catalog \(catalog.path)
        """)
      if summary.digestsRead == 0 && !summary.problems.isEmpty {
        throw ExitCode.badInput
      }
    }
  }
}
