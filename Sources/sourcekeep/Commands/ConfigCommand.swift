import ArgumentParser
import SourcekeepApp
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

    @Flag(help: "Print every effective value as JSON, with where it came from (docs/design.md#json-output).")
    var json = false

    func run() async throws {
      if json {
        do {
          let loaded = try ConfigLoader.load(flag: common.config)
          StandardOutput.write(EffectiveConfig.json(loaded).pretty + "\n")
        } catch {
          StandardOutput.write(
            JSONValue.object([
              ("ok", false), ("file", .optional(error.file)), ("key", .optional(error.key)),
              ("message", .string(error.message)),
            ]).pretty + "\n")
          printError("sourcekeep: \(error)")
          throw ExitCode.config
        }
        return
      }
      let context = try CommandContext.load(common)
      print(WrittenConfig.render(context.loaded), terminator: "")
    }
  }
}
