import Foundation

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
    let checkedStates: Set<LinkState> = [.alive, .drifted, .failing, .dead]
    var ages: [(days: Double, alive: Bool)] = []
    for link in model.links where checkedStates.contains(link.state) {
      guard let first = link.citations.compactMap({ RotCurve.day($0.digestDate) }).min() else { continue }
      ages.append((model.generatedAt.timeIntervalSince(first) / 86_400, link.state == .alive))
    }
    buckets = RotCurve.bounds.enumerated().map { i, lower in
      let upper: Int? = i + 1 < RotCurve.bounds.count ? RotCurve.bounds[i + 1] : nil
      let inside = ages.filter { age in age.days >= Double(lower) && (upper.map { age.days < Double($0) } ?? true) }
      let atLeast = ages.filter { $0.days >= Double(lower) }
      return Bucket(
        label: upper.map { "\(lower)–\($0) d" } ?? "\(lower)+ d", minDays: lower, maxDays: upper,
        links: inside.count, alive: inside.filter(\.alive).count, linksAtLeast: atLeast.count,
        aliveAtLeast: atLeast.filter(\.alive).count)
    }
    digests = model.digests.map { digest in
      let cited = model.links.filter { link in link.citations.contains { $0.digest == digest.name } }
      return DigestRow(
        digest: digest.name, date: digest.date, links: cited.count,
        checked: cited.filter { checkedStates.contains($0.state) }.count,
        alive: cited.filter { $0.state == .alive }.count)
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
