public import SourcekeepCore

/// `[web]` as the web view uses it (docs/design.md#configuration and #web-view), checked before anything
/// listens: a mistake here is a config error (exit 78) naming the key.
public struct WebSettings: Sendable, Equatable {
  /// `ADDR:PORT` (`127.0.0.1:8470`, `[::1]:8470`, `0.0.0.0:80`); "" turns the web view off.
  public var listen: String
  /// `https://archive.example.org`: the address readers use; "" uses the request's own host.
  public var publicURL: String
  public var auth: WebAuth
  /// Absolute path of the htpasswd file (bcrypt entries) for `auth = "basic"`.
  public var htpasswd: String
  /// `public = true`: a non-loopback listen without auth is intended.
  public var isPublic: Bool

  public init(
    listen: String, publicURL: String = "", auth: WebAuth = .none, htpasswd: String = "", isPublic: Bool = false
  ) {
    self.listen = listen
    self.publicURL = publicURL
    self.auth = auth
    self.htpasswd = htpasswd
    self.isPublic = isPublic
  }

  /// A `[web]` setting that cannot be served as it is (exit 78).
  public struct Problem: Error, Sendable, CustomStringConvertible {
    public var description: String
  }

  /// Host and port of `listen`, or nil when the web view is off.
  public func address() throws(Problem) -> ListenAddress? {
    if listen.isEmpty { return nil }
    guard let address = ListenAddress(listen) else {
      throw Problem(
        description: "[web] listen \"\(listen)\": use ADDR:PORT with an IP address or localhost and a port up to "
          + "65535, e.g. 127.0.0.1:8470 or [::1]:8470 (\"\" turns the web view off).")
    }
    return address
  }

  /// Refuses what must not listen: a non-loopback address without auth unless `public = true`
  /// says the archive is meant for everyone; basic auth without a readable bcrypt htpasswd;
  /// a `public_url` that is not an http(s) origin.
  /// - Returns: the parsed htpasswd for `auth = "basic"`.
  public func validate() throws(Problem) -> Htpasswd? {
    guard let address = try address() else { return nil }
    if !publicURL.isEmpty {
      let lower = publicURL.lowercased()
      guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), HTML.isWeb(publicURL),
        !publicURL.contains("?"), !publicURL.contains("#")
      else {
        throw Problem(
          description: "[web] public_url \"\(publicURL)\": use an http(s) address such as https://archive.example.org.")
      }
    }
    switch auth {
    case .none:
      // The config loader's rule (WebConfig.exposureProblem), applied to --listen too.
      if !address.isLoopback && !isPublic {
        throw Problem(
          description: "[web] listen: \(listen) is reachable from other machines and [web] auth = \"none\": "
            + "set auth = \"basic\" with an htpasswd file, listen on 127.0.0.1, or set [web] public = true "
            + "if the archive is meant to be public.")
      }
      return nil
    case .basic:
      guard htpasswd.hasPrefix("/") else {
        throw Problem(
          description:
            "[web] auth = \"basic\" needs htpasswd = \"/absolute/path\" (bcrypt entries: htpasswd -B -c FILE USER).")
      }
      do {
        return try Htpasswd(path: htpasswd)
      } catch {
        throw Problem(description: error.description)
      }
    }
  }
}
