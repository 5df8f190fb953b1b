/// What happened to one link in a capture or check run (progress lines, summaries, tests).
public struct LinkOutcome: Sendable {
  public var url: String
  public var finalURL: String?
  public var status: CheckStatus
  public var reason: CheckReason?
  public var httpStatus: Int?
  public var stateBefore: LinkState
  public var stateAfter: LinkState
  /// The archived record, when this run archived one.
  public var archived: WARCFile.Location?
  /// `response` or `revisit`, when archived.
  public var recordType: String?
  /// Compressed bytes this link added to the archive (all its records).
  public var bytesWritten: Int64
  public var title: String?
  public var truncated: Bool
  public var attempts: Int
  public var elapsedMs: Int
  /// Why it failed, for failures (libcurl's message, the soft-404 evidence, …).
  public var detail: String?
  /// A re-check's answer repeated the archived payload, and nothing was archived for it: the
  /// link's last revisit is younger than `health.revisit_every` (docs/design.md#revisits-on-re-check).
  public var samePayload = false
}

/// Totals of a capture or check run.
public struct RunCounts: Sendable {
  public var total = 0
  public var done = 0
  /// Links archived with a new response record.
  public var captured = 0
  /// Links whose unchanged payload was recorded as a revisit.
  public var revisits = 0
  /// 304 answers to conditional requests: unchanged, nothing written.
  public var unchanged = 0
  /// Answers that repeated the archived payload within `health.revisit_every` of the link's last
  /// revisit: the check row keeps their digest, nothing is written to the archive.
  public var samePayload = 0
  public var failed = 0
  public var inconclusive = 0
  public var bytesWritten: Int64 = 0
  public var byStatus: [CheckStatus: Int] = [:]
  public var stateChanges = 0

  public init() {}

  mutating func add(_ o: LinkOutcome) {
    done += 1
    byStatus[o.status, default: 0] += 1
    bytesWritten += o.bytesWritten
    if o.stateBefore != o.stateAfter { stateChanges += 1 }
    if o.recordType == "response" {
      captured += 1
    } else if o.recordType == "revisit" {
      revisits += 1
    } else if o.httpStatus == 304 {
      unchanged += 1
    } else if o.samePayload {
      samePayload += 1
    }
    switch CheckVerdict(status: o.status, httpStatus: o.httpStatus) {
    case .failure: failed += 1
    case .inconclusive: inconclusive += 1
    case .success, .drifted: break
    }
  }
}
