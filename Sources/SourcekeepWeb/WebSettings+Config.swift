public import SourcekeepCore

extension WebSettings {
  /// `[web]` of a loaded configuration (paths already absolute, rules already checked by the
  /// loader; `validate()` checks them again together with a `--listen` override).
  public init(config: Config) {
    self.init(
      listen: config.web.listen, publicURL: config.web.publicURL, auth: config.web.auth,
      htpasswd: config.web.htpasswd, isPublic: config.web.isPublic)
  }
}
