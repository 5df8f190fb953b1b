import Foundation

/// Turns an archived rendition into one file that opens with no network (`show --format html`):
/// every image the archive holds becomes a `data:` URI, every other image a note saying it
/// was not captured, a banner says where the copy comes from and what the link does now, and
/// the page's policy allows inline images only (docs/design.md#show).
///
/// It edits only markup that `ReadableRendition` writes itself (`<img src="…"`, the policy
/// `<meta>`, `<body>`), whose form is fixed; the page's text is escaped there and cannot
/// imitate it.
public struct SelfContainedPage {
  /// An archived image: its media type and bytes.
  public struct Image: Sendable {
    public var mediaType: String
    public var bytes: [UInt8]
    public init(mediaType: String, bytes: [UInt8]) {
      self.mediaType = mediaType
      self.bytes = bytes
    }
  }

  /// What became of the rendition's images.
  public struct Outcome: Sendable {
    public var html: String
    public var inlined: [String] = []
    public var missing: [String] = []
  }

  /// The archived image for an absolute URL, nil when none was captured.
  public var image: (String) -> Image?

  public init(image: @escaping (String) -> Image?) {
    self.image = image
  }

  /// The self-contained page.
  /// - Parameters:
  ///   - rendition: the archived rendition's HTML.
  ///   - banner: HTML for the banner at the top (escaped by the caller), given what became of
  ///     the images.
  public func render(_ rendition: String, banner: (_ inlined: Int, _ missing: Int) -> String) -> Outcome {
    var out = Outcome(html: "")
    let html = rendition.replacingOccurrences(of: ReadableStyle.archivedPolicy, with: ReadableStyle.offlinePolicy)
    let opening = "<img src=\""
    var result = ""
    result.reserveCapacity(html.utf8.count)
    var rest = html[...]
    while let start = rest.range(of: opening) {
      result += rest[..<start.lowerBound]
      let afterSrc = rest[start.upperBound...]
      guard let quote = afterSrc.firstIndex(of: "\""), let close = afterSrc.firstIndex(of: ">") else {
        result += rest[start.lowerBound...]
        rest = ""
        break
      }
      let escaped = String(afterSrc[..<quote])
      let attributes = afterSrc[afterSrc.index(after: quote)..<close]
        .replacingOccurrences(of: " loading=\"lazy\"", with: "")
      let url = Self.unescape(escaped)
      if let data = image(url), let type = Self.imageType(data) {
        result += "<img src=\"data:\(type);base64,\(Data(data.bytes).base64EncodedString())\"\(attributes)>"
        out.inlined.append(url)
      } else {
        result +=
          "<span class=\"sk-missing\">Image not captured: <a href=\"\(escaped)\" rel=\"noreferrer noopener\">\(escaped)</a></span>"
        out.missing.append(url)
      }
      rest = afterSrc[afterSrc.index(after: close)...]
    }
    result += rest
    if let body = result.range(of: "<body>\n") {
      let text = banner(out.inlined.count, out.missing.count)
      result.insert(contentsOf: "<div class=\"sk-banner\">\(text)</div>\n", at: body.upperBound)
    }
    out.html = result
    return out
  }

  /// The media type to label an archived image with: its own `image/…` type, else what its
  /// first bytes say (PNG, JPEG, GIF, WebP); nil for anything that is not an image.
  static func imageType(_ image: Image) -> String? {
    let declared = image.mediaType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    let lower = declared.lowercased()
    if lower.hasPrefix("image/"),
      lower.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/+-.".contains($0)) })
    {
      return lower
    }
    let b = image.bytes
    if b.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "image/png" }
    if b.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
    if b.starts(with: Array("GIF8".utf8)) { return "image/gif" }
    if b.count > 12, b.starts(with: Array("RIFF".utf8)), Array(b[8..<12]) == Array("WEBP".utf8) { return "image/webp" }
    return nil
  }

  /// Undoes `HTMLReport.escape` on an attribute value the rendition wrote.
  static func unescape(_ s: String) -> String {
    s.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
      .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
      .replacingOccurrences(of: "&amp;", with: "&")
  }
}
