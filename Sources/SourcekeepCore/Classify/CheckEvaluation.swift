/// One fetch result read and judged: the parsed page (when there is one) and the check
/// status. Shared by capture, re-check and `probe`, so all three classify the same way.
public struct CheckEvaluation: Sendable {
  /// The final page's facts (nil for no body, a 304, a failure status or a non-HTML body).
  public var page: PageFacts?
  public var classification: Classification
  /// Why the body could not be read, when it could not (undecodable encoding, …).
  public var readProblem: String?

  /// Reads the final body (content-decoded, at most `maxDecodedBytes`) and classifies.
  public init(
    _ result: FetchResult, extractor: PageExtractor = PageExtractor(), referenceText: String? = nil,
    driftThreshold: Double = 0.5, maxDecodedBytes: Int = 64 << 20
  ) {
    var page: PageFacts?
    var problem: String?
    if result.status == .ok || result.status == .redirected, let exchange = result.exchange,
      exchange.httpStatus != 304, Self.isHTML(result.contentType)
    {
      do {
        let body = try result.decodedBody(limit: maxDecodedBytes)
        page = try extractor.extract(body: body, url: result.finalURL, contentType: result.contentType)
      } catch {
        problem = "\(error)"
      }
    }
    self.page = page
    self.readProblem = problem
    self.classification = Classifier.classify(
      fetchStatus: result.status, fetchReason: result.reason, httpStatus: result.httpStatus,
      requestedURL: result.request.url, finalURL: result.finalURL, page: page, referenceText: referenceText,
      driftThreshold: driftThreshold)
  }

  /// Bodies worth parsing: HTML, XML, plain text, or no declared type at all.
  public static func isHTML(_ contentType: String?) -> Bool {
    guard let type = contentType?.lowercased() else { return true }
    return type.contains("html") || type.contains("xml") || type.hasPrefix("text/plain")
  }
}
