import ArgumentParser

/// Global options before the subcommand (docs/design.md#cli, a contract): `sourcekeep -c X
/// status` means `sourcekeep status -c X`. ArgumentParser reads options only on the command
/// that declares them, and every leaf command declares `CommonOptions`; so the options found
/// before the subcommand are moved behind the subcommand's path (`ingest now`, `config check`),
/// which is read from the command tree itself.
enum GlobalOptions {
  /// Options taking a value.
  static let withValue: Set<String> = ["-c", "--config", "--color"]
  /// Flags.
  static let flags: Set<String> = ["-q", "--quiet"]

  static func moved(_ arguments: [String], root: any ParsableCommand.Type) -> [String] {
    var globals: [String] = []
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      if withValue.contains(argument), index + 1 < arguments.count {
        globals += [argument, arguments[index + 1]]
        index += 2
      } else if flags.contains(argument) || withValue.contains(where: { argument.hasPrefix($0 + "=") }) {
        globals.append(argument)
        index += 1
      } else {
        break
      }
    }
    guard !globals.isEmpty else { return arguments }
    var path: [String] = []
    var command = root
    while index < arguments.count,
      let sub = command.configuration.subcommands.first(where: { $0._commandName == arguments[index] })
    {
      path.append(arguments[index])
      command = sub
      index += 1
    }
    return path + globals + arguments[index...]
  }
}
