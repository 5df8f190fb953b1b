import ArgumentParser
import SourcekeepCore

/// `sourcekeep run`: the daemon, in the foreground (systemd Type=notify).
struct RunCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run the daemon in the foreground (systemd Type=notify).")

  @OptionGroup var common: CommonOptions

  func run() async throws {
    throw NotYetAvailable(command: "run", issue: "daemon")
  }
}
