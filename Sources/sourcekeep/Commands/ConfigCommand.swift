import ArgumentParser
import SourcekeepCore

/// `sourcekeep config check`.
struct ConfigCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "config",
    abstract: "Inspect the configuration.",
    subcommands: [Check.self])

  struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "check",
      abstract: "Validate the config and print every effective value with where it came from.",
      discussion: "Exits 78 naming the file and key when the config is invalid.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
      let context = try CommandContext.load(common)
      print(EffectiveConfig.render(context.loaded), terminator: "")
    }
  }
}
