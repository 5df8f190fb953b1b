import Logging
public import SourcekeepCore

extension Fetcher {
  /// The fetcher for a `[fetch]` section, as every command, job and benchmark builds it:
  /// only warnings and worse logged, so per-transfer chatter stays out of command output.
  /// - Throws: `FetchError` naming the key libcurl or the address guard refused.
  /// `shouldStart` is asked before each link's first request (false: the run is stopping).
  /// `spoolDirectory`: where bodies over 1 MiB go (`StoreLayout.tmpDirectory`); nil keeps them in memory.
  public static func configured(
    _ config: FetchConfig, label: String = "sourcekeep.fetch", spoolDirectory: String? = nil,
    shouldStart: @escaping @Sendable () -> Bool = { true }
  ) throws(FetchError) -> Fetcher {
    var logger = Logger(label: label)
    logger.logLevel = .warning
    var tuning = FetchTuning()
    tuning.spoolDirectory = spoolDirectory
    return try Fetcher(config: config, tuning: tuning, logger: logger, shouldStart: shouldStart)
  }
}
