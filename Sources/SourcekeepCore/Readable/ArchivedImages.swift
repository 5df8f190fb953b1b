/// The images archived with one capture (its page requisites, docs/design.md#page-requisites),
/// by URL: what `show` inlines and the web view serves under `im_`.
public struct ArchivedImages: Sendable {
  /// One image the page needed, and what became of it.
  public struct Entry: Sendable {
    public var url: String
    /// A `RequisiteStatus` raw value (`archived`, `gone`, `too-large`, …).
    public var status: String
    public var reason: String?
    public var httpStatus: Int?
    /// The record holding it (a `response`, or a `revisit` whose payload is elsewhere).
    public var location: WARCFile.Location?
    public var recordType: String?
    public var payloadDigest: String?
  }

  public let copy: ArchivedCopy
  /// Every image the capture's page needed, in page order.
  public let entries: [Entry]
  private let byURL: [String: Int]

  /// The requisites of `capture`; a revisit (an unchanged page) shows those of the response
  /// it repeats.
  public init(copy: ArchivedCopy, capture: CaptureRow) {
    self.copy = copy
    var rows = (try? copy.catalog.requisites(forSnapshot: capture.pointer.id)) ?? []
    if rows.isEmpty, capture.pointer.recordType == "revisit",
      let original = try? copy.catalog.originalResponse(of: capture.pointer)
    {
      rows = (try? copy.catalog.requisites(forSnapshot: original.id)) ?? []
    }
    entries = rows.map {
      Entry(
        url: $0.url, status: $0.status.rawValue, reason: $0.reason, httpStatus: $0.httpStatus, location: $0.location,
        recordType: $0.recordType, payloadDigest: $0.payloadDigest)
    }
    var index: [String: Int] = [:]
    for (i, e) in entries.enumerated() where index[e.url] == nil { index[e.url] = i }
    byURL = index
  }

  /// The archived bytes of the image at `url` (a revisit's from the record holding its
  /// payload), nil when it was not captured or cannot be read.
  public func image(_ url: String) -> SelfContainedPage.Image? {
    guard let i = byURL[url], entries[i].status == RequisiteStatus.archived.rawValue,
      var at = entries[i].location
    else { return nil }
    if entries[i].recordType == "revisit" {
      guard let digest = entries[i].payloadDigest, let holder = try? copy.catalog.archivedPayload(digest: digest),
        let location = holder.location
      else { return nil }
      at = location
    }
    guard let response = try? copy.original(at: at, url: url) else { return nil }
    return SelfContainedPage.Image(mediaType: response.contentType ?? "", bytes: response.body)
  }
}
