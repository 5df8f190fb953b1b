import ArgumentParser
import SourcekeepCore

/// The `sourcekeep` command tree (docs/design.md#cli, a contract).
@main
struct Sourcekeep: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sourcekeep",
    abstract: "Keeps the sources cited by news digests readable: archive, re-check, report.",
    discussion: """
      sourcekeep reads Markdown digests, archives every cited article as WARC the first time \
      it sees it, re-checks every link on a schedule and reports which citations rotted and \
      where their archived copies are.

      Exit codes: 0 done (even if links are dead), 64 usage, 65 bad input file, \
      75 busy (another run holds the storage lock), 78 config error, 1 anything else.
      """,
    version: SourcekeepVersion.string,
    subcommands: [
      RunCommand.self, IngestCommand.self, CheckCommand.self, ReportCommand.self,
      StatusCommand.self, JournalCommand.self, ProbeCommand.self, ExtractCommand.self,
      SearchCommand.self, VerifyCommand.self, ConfigCommand.self, ServeCommand.self,
    ])
}
