public import Foundation
public import Logging
import SourcekeepCore

/// A swift-log handler for services under systemd: one line per message on stderr, prefixed
/// with the syslog priority `<N>` that journald reads (`sd-daemon(3)`), so `journalctl -p`
/// filters work without libsystemd. Modelled on swift-log's `StreamLogHandler`; no timestamp,
/// since journald stamps every line itself.
public struct JournaldLogHandler: LogHandler {
  public var logLevel: Logger.Level = .info
  public var metadata: Logger.Metadata = [:]
  public var metadataProvider: Logger.MetadataProvider?
  private let label: String
  private let write: @Sendable (String) -> Void
  /// `<N>` prefixes for journald; false on a terminal or a plain file, where a time and the
  /// level's name read better than `<6>`.
  private let forJournal: Bool

  /// - Parameters:
  ///   - label: the logger's label, printed before the message.
  ///   - forJournal: whether stderr goes to the journal (see `stderrIsJournal`).
  ///   - write: where finished lines go (stderr by default; tests capture them).
  public init(
    label: String, forJournal: Bool = true,
    write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }
  ) {
    self.label = label
    self.forJournal = forJournal
    self.write = write
  }

  /// Whether stderr is connected to the journal: systemd sets `JOURNAL_STREAM` for a service
  /// whose stderr it gave to journald (`systemd.exec(5)`); `sourcekeep run` in a terminal has
  /// no such variable.
  public static func stderrIsJournal(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
    environment["JOURNAL_STREAM"].map { !$0.isEmpty } ?? false
  }

  public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  /// The syslog priority journald files a swift-log level under.
  static func priority(_ level: Logger.Level) -> Int {
    switch level {
    case .trace: 7  // LOG_DEBUG: swift-log has no finer level in syslog
    case .debug: 7  // LOG_DEBUG
    case .info: 6  // LOG_INFO
    case .notice: 5  // LOG_NOTICE
    case .warning: 4  // LOG_WARNING
    case .error: 3  // LOG_ERR
    case .critical: 2  // LOG_CRIT
    }
  }

  public func log(event: LogEvent) {
    var merged = metadata
    if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
    if let extra = event.metadata { merged.merge(extra) { _, new in new } }
    let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    let message = "\(event.message)".replacingOccurrences(of: "\n", with: " ")
    let tail = "\(label): \(message)\(fields.isEmpty ? "" : " " + fields)\n"
    if forJournal {
      write("<\(Self.priority(event.level))>" + tail)
    } else {
      write("\(Timestamp.string(Date())) \(event.level.rawValue.uppercased()) " + tail)
    }
  }
}
