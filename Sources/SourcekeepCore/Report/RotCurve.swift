public import Foundation

/// Rot over time: how many cited links are still alive, by how long ago they were cited.
///
/// Why this shape: an editor wants to know how fast citations rot ("a week after the digest,
/// how many sources can a reader still open?"), and WeChat articles mostly vanish in days.
///
/// Definitions (every renderer prints `RotCurve.definition`):
/// - A link's **age** is the report time minus its **first citation date**: the earliest
///   digest date (00:00 UTC) among its citations in scope.
/// - Only **checked** links count: `alive`, `drifted`, `failing`, `dead`. `pending` and
///   `unknown` links have no conclusive result and are left out of every share.
/// - **Alive** means state `alive`; a drifted page no longer shows what was cited.
/// - The **survival curve** point for age bucket *a–b d* is the share alive among the checked
///   links cited at least *a* days ago (so the first point covers every checked link);
///   each bucket also gives its own count, the links of age *a* ≤ age < *b*.
public struct RotCurve: Sendable {
  /// One age bucket and the survival point at its lower bound.
  public struct Bucket: Sendable {
    /// `0–1 d`, …, `30+ d`.
    public var label: String
    /// Lower bound, in days (inclusive).
    public var minDays: Int
    /// Upper bound, in days (exclusive); nil for the last, open bucket.
    public var maxDays: Int?
    /// Checked links whose age is in the bucket.
    public var links: Int
    /// Of those, alive.
    public var alive: Int
    /// Checked links at least `minDays` old: the survival point's denominator.
    public var linksAtLeast: Int
    /// Of those, alive.
    public var aliveAtLeast: Int

    /// The survival point: alive share of links at least `minDays` old (nil when none).
    public var survival: Double? { linksAtLeast == 0 ? nil : Double(aliveAtLeast) / Double(linksAtLeast) }
  }

  /// Alive and total links for one digest.
  public struct DigestRow: Sendable {
    public var digest: String
    public var date: String
    /// Every link the digest cites (in scope), checked or not.
    public var links: Int
    /// Of those, checked (`alive`, `drifted`, `failing`, `dead`).
    public var checked: Int
    /// Of those, alive.
    public var alive: Int

    /// Alive share of the checked links (nil when none is checked yet).
    public var share: Double? { checked == 0 ? nil : Double(alive) / Double(checked) }
  }

  /// One line a report prints under the curve, so readers know what the numbers mean.
  public static let definition =
    "Share alive = alive ÷ checked links (alive, drifted, failing, dead; pending and unknown left out) "
    + "among links first cited at least N days before the report; age counts from the digest date, 00:00 UTC."

  /// Bucket bounds in days, from the issue: 0–1, 1–3, 3–7, 7–14, 14–30, 30+.
  public static let bounds = [0, 1, 3, 7, 14, 30]

  public var buckets: [Bucket]
  public var digests: [DigestRow]

  /// Computes the curve for `model`'s links at `model.generatedAt`.
  public init(_ model: ReportModel) {
    var tally = Tally(at: model.generatedAt)
    for link in model.links {
      tally.add(state: link.state, firstCited: link.citations.map(\.digestDate).min())
    }
    let digests = model.digests.map { digest in
      let cited = model.links.filter { link in link.citations.contains { $0.digest == digest.name } }
      return DigestRow(
        digest: digest.name, date: digest.date, links: cited.count,
        checked: cited.filter { Tally.checked.contains($0.state) }.count,
        alive: cited.filter { $0.state == .alive }.count)
    }
    self.init(buckets: tally.buckets, digests: digests)
  }

  public init(buckets: [Bucket], digests: [DigestRow]) {
    self.buckets = buckets
    self.digests = digests
  }

  /// The buckets, counted one link at a time (a streamed report never holds the links).
  public struct Tally: Sendable {
    /// States with a conclusive result: the only ones the curve counts.
    static let checked: Set<LinkState> = [.alive, .drifted, .failing, .dead]
    let at: Date
    private var inside = [Int](repeating: 0, count: RotCurve.bounds.count)
    private var insideAlive = [Int](repeating: 0, count: RotCurve.bounds.count)
    private var atLeast = [Int](repeating: 0, count: RotCurve.bounds.count)
    private var atLeastAlive = [Int](repeating: 0, count: RotCurve.bounds.count)
    private var days: [String: Date?] = [:]

    public init(at: Date) { self.at = at }

    /// Counts one link: its state and the date (`YYYY-MM-DD`) of its first citation in scope.
    public mutating func add(state: LinkState, firstCited: String?) {
      guard Self.checked.contains(state), let cited = firstCited else { return }
      // Parsed once per distinct date: a year of digests has ~365, a report a million links.
      let parsed = days[cited] ?? RotCurve.day(cited)
      days[cited] = .some(parsed)
      guard let first = parsed else { return }
      let days = at.timeIntervalSince(first) / 86_400
      let alive = state == .alive
      for (i, lower) in RotCurve.bounds.enumerated() where days >= Double(lower) {
        atLeast[i] += 1
        if alive { atLeastAlive[i] += 1 }
        let upper: Int? = i + 1 < RotCurve.bounds.count ? RotCurve.bounds[i + 1] : nil
        if upper.map({ days < Double($0) }) ?? true {
          inside[i] += 1
          if alive { insideAlive[i] += 1 }
        }
      }
    }

    public var buckets: [Bucket] {
      RotCurve.bounds.enumerated().map { i, lower in
        let upper: Int? = i + 1 < RotCurve.bounds.count ? RotCurve.bounds[i + 1] : nil
        return Bucket(
          label: upper.map { "\(lower)–\($0) d" } ?? "\(lower)+ d", minDays: lower, maxDays: upper, links: inside[i],
          alive: insideAlive[i], linksAtLeast: atLeast[i], aliveAtLeast: atLeastAlive[i])
      }
    }
  }

  /// `YYYY-MM-DD` at 00:00 UTC.
  static func day(_ date: String) -> Date? {
    Timestamp.parse(date + "T00:00:00Z")
  }

  /// `83%`, or `–` when there is nothing to divide.
  public static func percent(_ share: Double?) -> String {
    share.map { "\(Int(($0 * 100).rounded()))%" } ?? "–"
  }
}
