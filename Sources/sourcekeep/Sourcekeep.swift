import ArgumentParser
import Foundation
import SKSystem
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

      Global options (before or after the subcommand): -c/--config PATH, -q/--quiet, --color auto|always|never.

      Exit codes: 0 done (even if links are dead), 2 a --fail-on state was found, 64 usage, 65 bad input file, \
      75 busy (another run holds the storage lock), 78 config error, 1 anything else.
      """,
    version: SourcekeepVersion.string,
    subcommands: [
      RunCommand.self, IngestCommand.self, CheckCommand.self, ReportCommand.self,
      StatusCommand.self, JournalCommand.self, ProbeCommand.self, ExtractCommand.self,
      SearchCommand.self, VerifyCommand.self, ConfigCommand.self, InitCommand.self, ForgetCommand.self,
      ShowCommand.self, ServeCommand.self, IndexCommand.self, ExportCommand.self, CompactCommand.self,
    ])

  /// ArgumentParser's own `main`, after moving global options that come before the subcommand
  /// behind it (`GlobalOptions`).
  static func main() async {
    let arguments = GlobalOptions.moved(Array(CommandLine.arguments.dropFirst()), root: Sourcekeep.self)
    // One malloc arena per busy thread, two for the daemon, instead of up to 8 per core
    // (SKSystem.MallocArenas): a million-link run's freed memory is reused instead of
    // scattered, and a command's threads do not queue for a shared arena's lock
    // (docs/performance.md#glibcs-arenas). Before any other thread allocates: nothing above
    // leaves the main thread, and the subcommand is the first argument once global options moved.
    MallocArenas.limit(
      environment: ProcessInfo.processInfo.environment, processors: ProcessInfo.processInfo.activeProcessorCount,
      daemon: arguments.first == RunCommand.configuration.commandName)
    // A mistyped command or option: name the nearest one (exit 64) instead of the whole help.
    if let message = Suggestions.unknownCommand(arguments, root: Sourcekeep.self) {
      printError(message)
      exit(withError: ExitCode.usage)
    }
    do {
      var command = try parseAsRoot(arguments)
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch {
      if let message = Suggestions.unknownOption(error, arguments: arguments, root: Sourcekeep.self) {
        printError(message)
        exit(withError: ExitCode.usage)
      }
      exit(withError: error)
    }
  }
}
