/// The effective configuration (docs/design.md#configuration, contract keys).
///
/// Every value has a built-in default so that sourcekeep runs without a file; a config file
/// overrides keys one by one. Paths are absolute here: the loader resolves relative paths
/// against the config file's folder (or the working directory for built-in defaults).
public struct Config: Sendable, Equatable {
  public var digests = DigestsConfig()
  public var storage = StorageConfig()
  public var fetch = FetchConfig()
  public var health = HealthConfig()
  public var schedule = ScheduleConfig()
  public var capture = CaptureConfig()
  public var web = WebConfig()
  public var fallback = FallbackConfig()
  public var journal = JournalConfig()

  public init() {}
}

/// `[digests]`: where digest files are read from.
public struct DigestsConfig: Sendable, Equatable {
  /// Files or directories (`*.md`, `*.markdown`, `*.html`). Default `["digests"]`.
  public var paths: [String] = ["digests"]
  /// Glob patterns of files to leave out (`*`, `?`, `[...]`, `**`). A pattern without `/` is
  /// matched against the file name, one with `/` against the path below the configured folder.
  public var exclude: [String] = []
}

/// `[storage]`: the one folder sourcekeep writes to.
public struct StorageConfig: Sendable, Equatable {
  /// Holds `catalog.sqlite`, `warc/`, `journal/`, `lock` and `control.sock`.
  /// Default `sourcekeep-data`.
  public var dir: String = "sourcekeep-data"
}

/// `[fetch]`: how links are fetched.
public struct FetchConfig: Sendable, Equatable {
  /// The `User-Agent` header sent with every request.
  public var userAgent: String = FetchConfig.defaultUserAgent
  /// Transfers in flight, all hosts together. Default 16 (1…1024).
  public var concurrency: Int = 16
  /// Transfers in flight to one host (scheme + host + port). Default 2 (1…64).
  public var perHostConcurrency: Int = 2
  /// Minimum gap between request starts to one host, in ms. Default 500 (0…600000).
  public var perHostIntervalMs: Int = 500
  /// Connect timeout in seconds. Default 10 (1…300).
  public var connectTimeoutS: Int = 10
  /// Whole-transfer timeout in seconds. Default 30 (1…3600).
  public var timeoutS: Int = 30
  /// Larger bodies are truncated (`WARC-Truncated: length`). Default 20 (1…1024).
  public var maxBodyMB: Int = 20
  /// Redirect hops followed before giving up. Default 10 (0…50).
  public var maxRedirects: Int = 10
  /// Retries of transient failures, with backoff and jitter. Default 2 (0…10).
  public var retries: Int = 2
  /// One link's whole fetch (every redirect hop, retry and Retry-After wait), in seconds;
  /// past it the link is `unreachable`/`timeout`. Default 120 (1…3600).
  public var linkDeadlineS: Int = 120
  /// Loopback/private/link-local targets are refused unless true. Default false.
  public var allowPrivateNetworks: Bool = false
  /// Addresses or CIDR blocks exempt from the private-network refusal. Default empty.
  public var privateAllowlist: [String] = []
  /// An http(s) proxy URL; "env" takes the standard proxy variables; empty means none (the
  /// variables are ignored). Through a proxy every hop's host is resolved and checked first.
  public var proxy: String = ""

  public static let defaultUserAgent =
    "sourcekeep/\(SourcekeepVersion.string) (+https://github.com/sourcekeep/sourcekeep; link archiver)"
}

/// `[health]`: how link health is judged.
public struct HealthConfig: Sendable, Equatable {
  /// How often a live link is re-checked. Default 24h.
  public var recheckInterval = ConfigDuration(seconds: 24 * 3600)
  /// Consecutive failures before a link can be dead. Default 3 (1…100).
  public var deadAfterFailures: Int = 3
  /// ...spanning at least this long. Default 72h.
  public var deadAfter = ConfigDuration(seconds: 72 * 3600)
  /// Text similarity to the first snapshot below this means drifted. Default 0.5 (0…1).
  public var driftThreshold: Double = 0.5
  /// A re-check that finds a page's payload unchanged writes a `revisit` when the link has none
  /// since its last `response`, or its newest is at least this old; otherwise only its check row
  /// (docs/design.md#revisits-on-re-check). Default 30d; 0s: a revisit at every such re-check.
  public var revisitEvery = ConfigDuration(seconds: 30 * 86400)
}

/// `[schedule]`: the daemon's timers.
public struct ScheduleConfig: Sendable, Equatable {
  /// How often the daemon reads digests and captures new links. Default 15m.
  public var ingestEvery = ConfigDuration(seconds: 15 * 60)
  /// How often the daemon re-checks due links. Default 1h.
  public var checkEvery = ConfigDuration(seconds: 3600)
}

/// `[capture]`: what a capture fetches besides the page (docs/design.md#page-requisites).
public struct CaptureConfig: Sendable, Equatable {
  /// Fetch the images of each captured article (its content images and cover). Default true.
  public var requisites: Bool = true
  /// Images fetched per page at most. Default 60 (0…1000).
  public var maxRequisites: Int = 60
  /// One image's size cap in MiB. Default 10 (1…1024).
  public var maxRequisiteMB: Int = 10
  /// All images of one page together, in MiB. Default 40 (1…4096).
  public var maxRequisitesMBPerPage: Int = 40
}

/// Who may read the web view.
public enum WebAuth: String, Sendable, Equatable, CaseIterable {
  case none
  case basic
}

/// `[web]`: the web view served by the daemon and by `sourcekeep serve` (docs/design.md#web-view).
public struct WebConfig: Sendable, Equatable {
  /// `ADDR:PORT` to listen on (`[::1]:8470` for IPv6); empty turns the web view off.
  /// Default `127.0.0.1:8470`.
  public var listen: String = "127.0.0.1:8470"
  /// The address readers use (`https://archive.example.org`); reports link copies there.
  public var publicURL: String = ""
  /// `none` or `basic` (bcrypt entries in `htpasswd`). Default none.
  public var auth: WebAuth = .none
  /// An htpasswd file with bcrypt entries, for `auth = "basic"`; absolute after loading.
  public var htpasswd: String = ""
  /// Says the archive is meant to be public: needed for a non-loopback `listen` without auth.
  public var isPublic: Bool = false

  /// Why serving on `listen` with these settings is refused, or nil when it is allowed. A
  /// listener reachable from other machines with no authentication publishes the archive, so
  /// it needs `public = true` to say that is meant.
  public func exposureProblem(listen address: String? = nil) -> String? {
    let listen = address ?? self.listen
    guard !listen.isEmpty, auth == .none, !isPublic else { return nil }
    guard let endpoint = ListenAddress(listen), endpoint.isLoopback else {
      return "\(listen) is reachable from other machines and [web] auth = \"none\": set auth = \"basic\" with an "
        + "htpasswd file, listen on 127.0.0.1, or set [web] public = true if the archive is meant to be public"
    }
    return nil
  }
}

/// `[fallback]`: public archives asked for links sourcekeep never captured (docs/design.md#fallback).
public struct FallbackConfig: Sendable, Equatable {
  /// Ask the Wayback availability API for never-captured failing/dead links. Default false.
  public var wayback: Bool = false
  /// The availability API's address.
  public var waybackEndpoint: String = "https://archive.org/wayback/available"
  /// Any Memento TimeGate, as well as or instead of the Wayback API; empty = none.
  public var mementoTimegate: String = ""
  /// Also submit each new citation to Save Page Now. Default false.
  public var savePageNow: Bool = false
  /// A file holding the Save Page Now `access:secret` keys; absolute after loading.
  public var spnKeysFile: String = ""
}

/// `[journal]`: how long the status journal is kept.
public struct JournalConfig: Sendable, Equatable {
  /// Daily journal files older than this many days are deleted; 0 keeps them all. Default 90.
  public var keepDays: Int = 90
}

/// sourcekeep's version, shown by `--version`, `status` and the WARC `warcinfo` record.
public enum SourcekeepVersion {
  public static let string = "0.1.0"
}
