/// The `[capture]` caps on page requisites (docs/design.md#page-requisites).
public struct RequisitePolicy: Sendable, Equatable {
  /// `capture.requisites`: fetch the images of each captured article. Default true.
  public var enabled: Bool
  /// `capture.max_requisites`: images per page; the rest are `skipped`. Default 60.
  public var maxPerPage: Int
  /// `capture.max_requisite_mb` in bytes: the body cap of one image's fetch; a larger image
  /// is `too-large` and not archived. Default 10 MiB.
  public var maxBytesEach: Int
  /// `capture.max_requisites_mb_per_page` in bytes: once a page's images reach it, the rest
  /// are `skipped`. Default 40 MiB.
  public var maxBytesPerPage: Int

  public init(enabled: Bool = true, maxPerPage: Int = 60, maxBytesEach: Int = 10 << 20, maxBytesPerPage: Int = 40 << 20)
  {
    self.enabled = enabled
    self.maxPerPage = maxPerPage
    self.maxBytesEach = maxBytesEach
    self.maxBytesPerPage = maxBytesPerPage
  }

  /// The caps of `[capture]`.
  public init(_ capture: CaptureConfig) {
    self.init(
      enabled: capture.requisites, maxPerPage: capture.maxRequisites, maxBytesEach: capture.maxRequisiteMB << 20,
      maxBytesPerPage: capture.maxRequisitesMBPerPage << 20)
  }

  /// The `Accept` header of an image request (what a browser sends for `<img>`).
  static let accept = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8"
}
