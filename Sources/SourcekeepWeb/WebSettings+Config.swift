public import SourcekeepCore

extension WebSettings {
  /// `[web]` of a loaded configuration.
  public init(config: Config) {
    self.init(listen: "127.0.0.1:8470")
  }
}
