/// The status of one check (docs/design.md#check-status), from what the fetcher saw, what the
/// page says about itself, where the redirects led and how the text compares with the
/// first snapshot.
public struct Classification: Sendable, Equatable {
  public var status: CheckStatus
  public var reason: CheckReason?
  /// Text similarity to the reference snapshot, when one was compared.
  public var similarity: Double?
  /// The sentence or rule behind a soft-404 or blocked verdict.
  public var evidence: String?
}

public enum Classifier {
  /// - Parameters:
  ///   - fetchStatus/fetchReason/httpStatus: the fetcher's HTTP-level outcome.
  ///   - requestedURL/finalURL: the link and where its redirects ended.
  ///   - page: the parsed final page (nil for no body, a 304, or a non-HTML body).
  ///   - referenceText: the first ok/redirected snapshot's main text (drift reference).
  ///   - driftThreshold: `health.drift_threshold`.
  public static func classify(
    fetchStatus: CheckStatus, fetchReason: CheckReason?, httpStatus: Int?, requestedURL: String, finalURL: String,
    page: PageFacts?, referenceText: String?, driftThreshold: Double
  ) -> Classification {
    // The fetcher's own `redirected` is an HTTP-level verdict; the page still decides.
    guard fetchStatus == .ok || fetchStatus == .redirected else {
      return Classification(status: fetchStatus, reason: fetchReason, similarity: nil, evidence: nil)
    }
    if let page {
      if page.blocked {
        return Classification(status: .blocked, reason: nil, similarity: nil, evidence: page.blockedEvidence)
      }
      if let soft = page.soft404 {
        return Classification(status: .soft404, reason: soft.reason, similarity: nil, evidence: soft.evidence)
      }
    }
    let judgement = RedirectJudgement(requested: requestedURL, final: finalURL)
    if judgement == .toHome {
      return Classification(
        status: .soft404, reason: .redirectToHome, similarity: nil,
        evidence: "redirected to \(finalURL)")
    }
    if let page, let referenceText, !referenceText.isEmpty {
      let similarity = TextSimilarity.similarity(referenceText, page.text)
      if similarity < driftThreshold {
        return Classification(status: .drifted, reason: nil, similarity: similarity, evidence: nil)
      }
      return Classification(
        status: judgement == .moved ? .redirected : .ok, reason: nil, similarity: similarity, evidence: nil)
    }
    return Classification(status: judgement == .moved ? .redirected : .ok, reason: nil, similarity: nil, evidence: nil)
  }
}
