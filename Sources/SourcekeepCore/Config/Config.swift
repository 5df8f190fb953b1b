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

  public init() {}
}

/// `[digests]`: where digest files are read from.
public struct DigestsConfig: Sendable, Equatable {
  /// Files or directories (`*.md`, `*.markdown`, `*.html`). Default `["digests"]`.
  public var paths: [String] = ["digests"]
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
}

/// `[schedule]`: the daemon's timers.
public struct ScheduleConfig: Sendable, Equatable {
  /// How often the daemon reads digests and captures new links. Default 15m.
  public var ingestEvery = ConfigDuration(seconds: 15 * 60)
  /// How often the daemon re-checks due links. Default 1h.
  public var checkEvery = ConfigDuration(seconds: 3600)
}

/// sourcekeep's version, shown by `--version`, `status` and the WARC `warcinfo` record.
public enum SourcekeepVersion {
  public static let string = "0.1.0"
}
