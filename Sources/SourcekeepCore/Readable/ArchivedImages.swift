/// The images archived with one capture (its requisites, docs/design.md#requisites), by URL:
/// what `show` inlines and the web view serves under `im_`.
public struct ArchivedImages: Sendable {
  /// One image the page shows, and what became of it.
  public struct Entry: Sendable {
    public var url: String
    /// `ok`, or why it is not in the archive (`not_captured`, a fetch status …).
    public var status: String
    public var httpStatus: Int?
    public var location: WARCFile.Location?
  }

  public let copy: ArchivedCopy
  public let capture: CaptureRow
  /// Every image the capture knows about, in page order.
  public let entries: [Entry]

  public init(copy: ArchivedCopy, capture: CaptureRow) {
    self.copy = copy
    self.capture = capture
    self.entries = []
  }

  /// The archived bytes of the image at `url`, nil when it was not captured.
  public func image(_ url: String) -> SelfContainedPage.Image? {
    guard let entry = entries.first(where: { $0.url == url && $0.status == "ok" }), let at = entry.location,
      let response = try? copy.original(at: at, url: url)
    else { return nil }
    return SelfContainedPage.Image(mediaType: response.contentType ?? "", bytes: response.body)
  }
}
