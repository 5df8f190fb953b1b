import Foundation

/// The control socket's protocol: line-delimited JSON, one request line from the client,
/// then response lines from the daemon until a `result` (or `status`/`error`) line ends it.
///
/// Every message carries `v` (the protocol version); a daemon answers a request of another
/// version with an `error` naming both, so an old CLI against a new daemon fails plainly.
public enum ControlProtocol {
  /// The version this build speaks.
  public static let version = 1
}

/// What a control request asks for; on the wire its raw value (`"command": "check"`).
public enum ControlCommand: RawRepresentable, Codable, Sendable, Equatable {
  case ingest, check, status, reload
  /// A command this build does not know (a newer or a foreign client): decoded, not rejected,
  /// so the daemon can answer with an error that names it.
  case unknown(String)

  public init(rawValue: String) {
    switch rawValue {
    case "ingest": self = .ingest
    case "check": self = .check
    case "status": self = .status
    case "reload": self = .reload
    default: self = .unknown(rawValue)
    }
  }

  public var rawValue: String {
    switch self {
    case .ingest: "ingest"
    case .check: "check"
    case .status: "status"
    case .reload: "reload"
    case .unknown(let name): name
    }
  }
}

/// One request: `ingest`, `check`, `status` or `reload`, with the CLI's options.
public struct ControlRequest: Codable, Sendable, Equatable {
  public var v: Int = ControlProtocol.version
  public var command: ControlCommand
  /// `ingest --digest FILE…` (absolute paths).
  public var digests: [String]?
  /// `ingest --no-capture`.
  public var noCapture: Bool?
  /// `check --all`.
  public var all: Bool?
  /// `check --url URL…`.
  public var urls: [String]?

  public init(
    command: ControlCommand, digests: [String]? = nil, noCapture: Bool? = nil, all: Bool? = nil, urls: [String]? = nil
  ) {
    self.command = command
    self.digests = digests
    self.noCapture = noCapture
    self.all = all
    self.urls = urls
  }
}

/// One response line.
public struct ControlMessage: Codable, Sendable {
  public enum Kind: String, Codable, Sendable {
    /// The run has queued behind another and will start when it ends.
    case queued
    /// The number of links the run will fetch.
    case starting
    /// One finished link: `line` is the plain progress line, counts for a live display.
    case progress
    /// The run ended: `stdout`, `stderr` and `exit` are what the in-process command prints and returns.
    case result
    /// The answer to `status`.
    case status
    /// The request was refused (`message` says why, `exit` the code to exit with).
    case error
  }
  public var v: Int = ControlProtocol.version
  public var type: Kind
  public var line: String?
  /// `progress`: the link as a `--json` line (`RunJSON.link`).
  public var record: String?
  public var done: Int?
  public var total: Int?
  public var captured: Int?
  public var revisits: Int?
  public var failed: Int?
  public var bytes: Int64?
  public var stdout: String?
  /// `result`: the summary as a `--json` line, and in one line for `--quiet`.
  public var json: String?
  public var finalLine: String?
  public var stderr: String?
  public var exit: Int32?
  public var message: String?
  public var daemon: DaemonStatus?

  public init(type: Kind) { self.type = type }
}

/// What a running daemon says about itself (`sourcekeep status`).
public struct DaemonStatus: Codable, Sendable {
  public var pid: Int32
  public var version: String
  public var startedAt: String
  public var uptimeSeconds: Int
  /// `idle`, `ingesting`, `checking`, `stopping`.
  public var activity: String
  public var done: Int?
  public var total: Int?
  public var lastIngest: RunSummary?
  public var lastCheck: RunSummary?
  public var nextIngest: String?
  public var nextCheck: String?
  public var config: String
  public var queued: Int

  public init(
    pid: Int32, version: String, startedAt: String, uptimeSeconds: Int, activity: String, done: Int?, total: Int?,
    lastIngest: RunSummary?, lastCheck: RunSummary?, nextIngest: String?, nextCheck: String?, config: String,
    queued: Int
  ) {
    self.pid = pid
    self.version = version
    self.startedAt = startedAt
    self.uptimeSeconds = uptimeSeconds
    self.activity = activity
    self.done = done
    self.total = total
    self.lastIngest = lastIngest
    self.lastCheck = lastCheck
    self.nextIngest = nextIngest
    self.nextCheck = nextCheck
    self.config = config
    self.queued = queued
  }

  /// When a run ended and how.
  public struct RunSummary: Codable, Sendable {
    public var finishedAt: String
    public var outcome: String
    public var exit: Int32

    public init(finishedAt: String, outcome: String, exit: Int32) {
      self.finishedAt = finishedAt
      self.outcome = outcome
      self.exit = exit
    }
  }
}

extension ControlRequest {
  /// The request as one protocol line.
  public var encoded: [UInt8] { ControlCoding.encode(self) }
}

extension ControlMessage {
  /// The message as one protocol line.
  public var encoded: [UInt8] { ControlCoding.encode(self) }
}

/// JSON coding of protocol lines: snake_case keys, sorted, one line each.
public enum ControlCoding {
  public static func encode<T: Encodable>(_ value: T) -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
    return Array(data) + [UInt8(ascii: "\n")]
  }

  public static func decode<T: Decodable>(_ type: T.Type, _ line: String) -> T? {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try? decoder.decode(type, from: Data(line.utf8))
  }
}
