import ArgumentParser
import Foundation
import SourcekeepApp
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
        content as a revisit record when the link has none since that snapshot or its newest is \
        older than health.revisit_every (else the check row keeps the payload digest), and \
        nothing for a 304.
        """)

    @OptionGroup var common: CommonOptions

    @Flag(help: "One JSON line per finished link, then a summary line (docs/design.md#json-output).")
    var json = false

    @Flag(help: "Re-check every link, due or not.")
    var all = false

    @Option(name: .customLong("url"), help: "Re-check only this URL (repeatable).")
    var urls: [String] = []

    @Option(
      name: .customLong("fail-on"),
      help: "Exit 2 when a link checked in this run ends in this state (repeatable), e.g. --fail-on dead.")
    var failOn: [LinkState] = []

    func validate() throws {
      if all && !urls.isEmpty { throw ValidationError("--all and --url exclude each other: give one of them") }
    }

    func run() async throws {
      let context = try CommandContext.load(common)
      let request = ControlRequest(command: .check, all: all, urls: urls.isEmpty ? nil : urls)
      let tally = FailOnTally(failOn)
      if try DaemonForwarding.run(
        request, layout: context.layout, verb: "checking", mode: common.mode(json: json), onLink: tally.add(record:))
      {
        try tally.finish(quiet: common.quiet)
        return
      }
      let lock = try context.lock()
      defer { withExtendedLifetime(lock) {} }
      let catalog = try context.catalog(create: false)
      let journal = context.journal()
      let (loaded, all, urls) = (context.loaded, all, urls)
      try await InterruptibleRun.run(
        command: "check", journal: journal, reporter: ProgressReporter(verb: "checking", mode: common.mode(json: json))
      ) { hooks in
        await Jobs.check(
          loaded: loaded, catalog: catalog, journal: journal, all: all, urls: urls, hooks: tally.counting(hooks))
      }
      try tally.finish(quiet: common.quiet)
    }
  }
}
