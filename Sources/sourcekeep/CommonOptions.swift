import ArgumentParser

/// Options shared by every command that reads the configuration.
struct CommonOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Config file (TOML).",
      discussion:
        "Default: $SOURCEKEEP_CONFIG, else /etc/sourcekeep/sourcekeep.toml if it exists, else built-in defaults."
    ))
  var config: String?
}
