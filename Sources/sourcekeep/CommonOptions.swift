import ArgumentParser
import Foundation
import SourcekeepApp

/// Options every command takes, before or after the subcommand (`GlobalOptions` moves them):
/// the config file, `--quiet` and `--color` (docs/design.md#cli, a contract).
struct CommonOptions: ParsableArguments {
  @Option(
    name: [.customShort("c"), .long],
    help: ArgumentHelp(
      "Config file (TOML).",
      discussion:
        "Default: $SOURCEKEEP_CONFIG, else ./sourcekeep.toml, else /etc/sourcekeep/sourcekeep.toml if it exists, "
        + "else built-in defaults."
    ))
  var config: String?

  @Flag(name: [.customShort("q"), .long], help: "Print only errors and one final line (for cron).")
  var quiet = false

  @Option(help: "Colour: auto (on a terminal, unless NO_COLOR is set), always or never.")
  var color: ColorChoice = .auto

  /// How a command that can print JSON prints, given its `--json` flag.
  func mode(json: Bool) -> OutputMode { json ? .json : quiet ? .quiet : .text }

  /// Whether to colour output going to a terminal (`isTerminal`): `--color`, `NO_COLOR`
  /// (no-color.org) and `TERM=dumb` decide.
  func wantsColour(isTerminal: Bool) -> Bool {
    switch color {
    case .always: return true
    case .never: return false
    case .auto:
      let env = ProcessInfo.processInfo.environment
      return isTerminal && env["NO_COLOR"].map(\.isEmpty) != false && env["TERM"] != "dumb"
    }
  }
}

/// `--color`.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
  case auto, always, never
}
