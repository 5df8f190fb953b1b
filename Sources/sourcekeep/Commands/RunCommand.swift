import ArgumentParser
import Logging
import SourcekeepApp
import SourcekeepCore
import SourcekeepDaemon

/// `sourcekeep run`: the daemon, in the foreground (systemd Type=notify).
struct RunCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run the daemon in the foreground (systemd Type=notify).",
    discussion: """
      Ingests the digests at start, whenever a digest file appears or changes, and every \
      [schedule] ingest_every; re-checks due links every [schedule] check_every (both with \
      jitter). `ingest now`, `check now` and `status` are served over <storage.dir>/control.sock \
      while it runs. SIGHUP re-reads the configuration (an invalid one is rejected and the old \
      one kept); SIGTERM or SIGINT finishes the transfers in flight (at most 10 s) and exits 0. \
      Under systemd it sends READY=1, STATUS=, WATCHDOG=1 and STOPPING=1 to $NOTIFY_SOCKET and \
      logs to stderr with <N> priority prefixes for journald.
      """)

  @OptionGroup var common: CommonOptions

  func run() async throws {
    let context = try CommandContext.load(common)
    let forJournal = JournaldLogHandler.stderrIsJournal()
    LoggingSystem.bootstrap { JournaldLogHandler(label: $0, forJournal: forJournal) }
    let daemon = Daemon(loaded: context.loaded, configFlag: common.config, logger: Logger(label: "sourcekeep"))
    let status = await daemon.run()
    if status != .ok { throw ExitCode(status) }
  }
}
