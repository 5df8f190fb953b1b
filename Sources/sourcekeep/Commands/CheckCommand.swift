import ArgumentParser
import Foundation
import SourcekeepCore

/// `sourcekeep check now [--all] [--url URL ...]`.
struct CheckCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Re-check links for rot.",
    subcommands: [Now.self])

  struct Now: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "now",
      abstract: "Re-check links that are due and update their state.",
      discussion: """
        Each link is fetched with conditional requests (If-None-Match / If-Modified-Since), \
        classified (ok, redirected, soft-404, drifted, gone, …) and its state moved by the link \
        state machine: failures count toward dead, inconclusive results (bot walls, 429, a bare \
        403) neither count nor reset. Changed content is archived as a new snapshot; unchanged \
        content as a revisit record, or nothing for a 304.
        """)

    @OptionGroup var common: CommonOptions

    @Flag(help: "Re-check every link, due or not.")
    var all = false

    @Option(name: .customLong("url"), help: "Re-check only this URL (repeatable).")
    var urls: [String] = []

    func validate() throws {
      if all && !urls.isEmpty { throw ValidationError("--all and --url exclude each other: give one of them") }
    }

    func run() async throws {
      let context = try CommandContext.load(common)
      let lock = try context.lock()
      defer { withExtendedLifetime(lock) {} }
      let catalog = try context.catalog(create: false)
      let journal = context.journal()
      let fetcher = try context.fetcher()
      let runner = LinkRunner(
        mode: .check, config: context.config, fetcher: fetcher, catalog: catalog, journal: journal,
        layout: context.layout, configDigest: context.configDigest)
      let reporter = ProgressReporter(verb: "checking")
      let selection: CheckRun.Selection = urls.isEmpty ? (all ? .all : .due) : .urls(urls)
      let result: (counts: RunCounts, unknownURLs: [String])
      do {
        result = try await CheckRun(catalog: catalog, journal: journal).run(
          selection, stage: CaptureStage(runner: runner, starting: reporter.starting, progress: reporter.update))
      } catch {
        await fetcher.shutdown()
        printError("sourcekeep: \(error)")
        throw ExitCode.failure
      }
      await fetcher.shutdown()
      for url in result.unknownURLs {
        printError("sourcekeep: warning: --url \(url): no such link in the catalog (`sourcekeep report` lists them)")
      }
      let c = result.counts
      let statuses = c.byStatus.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }
      print(
        """
        check: \(c.done) of \(c.total) link(s) checked · new snapshots \(c.captured) · revisits \(c.revisits) · \
        unchanged (304) \(c.unchanged) · failed \(c.failed) · inconclusive \(c.inconclusive) · state changes \(c.stateChanges)
          by status: \(statuses.isEmpty ? "nothing was due" : statuses.joined(separator: " · "))
        """)
      if !urls.isEmpty && result.unknownURLs.count == urls.count { throw ExitCode.usage }
    }
  }
}
