import Foundation
import SourcekeepCore

/// Places a readable rendition (a complete HTML document, docs/design.md#readable-copies)
/// inside the web view's copy page: its `<body>` content only (the page's own head, title and
/// style stay out), with every image the archive holds pointed at its `im_` address so images
/// load from this origin and never from the live web.
///
/// An image the capture tried and did not archive (it failed, or was over the size cap), and
/// every image of a capture made without requisites, becomes a note naming its original
/// address, as `show` writes it: pywb and the Wayback Machine rewrite such an image to their
/// archive address too and answer 404 there, which leaves a broken-image icon; the readable
/// copy knows which images it has and says so instead. An image the capture skipped on
/// purpose (a 1×1 tracking pixel, docs/design.md#page-requisites) is left out: it showed
/// nothing on the page either.
///
/// The rendition is already safe markup by construction (no script, no event attribute, no
/// iframe, only http(s) links); the copy page's Content-Security-Policy allows no script
/// whatever it holds, and images only from this origin.
enum ReadableEmbed {
  /// What became of an image at capture.
  enum ImageFate {
    /// In the archive: served under `im_`.
    case archived
    /// Tried and not archived, or never tried: a note with its address.
    case missing
    /// Left out on purpose (a tracking pixel): dropped.
    case skipped
  }

  /// - Parameter fate: what became of the image at an absolute URL.
  static func body(_ document: String, timestamp: String, fate: (String) -> ImageFate = { _ in .archived }) -> String {
    var inner = Substring(document)
    if let open = inner.range(of: "<body", options: .caseInsensitive),
      let close = inner[open.upperBound...].firstIndex(of: ">")
    {
      inner = inner[inner.index(after: close)...]
    }
    if let end = inner.range(of: "</body>", options: [.caseInsensitive, .backwards]) {
      inner = inner[..<end.lowerBound]
    }
    return HTMLText.neutralizeBidi(rewriteImages(String(inner), timestamp: timestamp, fate: fate))
  }

  /// `src="https://…"` of each `<img>` → `src="/web/<ts>im_/https://…"` when the image is
  /// archived, else the whole tag → a "not captured" note or nothing; other `src` values
  /// (`data:`, relative) are left as they are (the policy decides what loads).
  static func rewriteImages(_ html: String, timestamp: String, fate: (String) -> ImageFate = { _ in .archived })
    -> String
  {
    var out = ""
    out.reserveCapacity(html.utf8.count + 256)
    var rest = Substring(html)
    while let img = rest.range(of: "<img", options: .caseInsensitive) {
      out += rest[..<img.lowerBound]
      guard let tagEnd = rest[img.upperBound...].firstIndex(of: ">") else {
        rest = rest[img.lowerBound...]
        break
      }
      var tag = String(rest[img.lowerBound...tagEnd])
      rest = rest[rest.index(after: tagEnd)...]
      guard let src = attribute("src", in: tag), HTML.isWeb(src.url) else {
        out += tag
        continue
      }
      switch fate(src.url) {
      case .archived: break
      case .skipped: continue
      case .missing:
        out += "<span class=\"missing\">Image not captured: \(HTML.link(src.url))</span>"
        continue
      }
      for name in ["src", "data-src"] {
        guard let found = attribute(name, in: tag), HTML.isWeb(found.url) else { continue }
        tag.replaceSubrange(found.range, with: HTML.escape(WebPath.memento(timestamp, found.url, modifier: "im_")))
      }
      out += tag
    }
    return out + rest
  }

  /// The value of ` name="…"` in a tag the rendition wrote (`ReadableBody.img`), unescaped,
  /// and where it sits.
  static func attribute(_ name: String, in tag: String) -> (url: String, range: Range<String.Index>)? {
    guard let start = tag.range(of: " " + name + "=\"", options: .caseInsensitive),
      let stop = tag[start.upperBound...].firstIndex(of: "\"")
    else { return nil }
    let value = String(tag[start.upperBound..<stop])
    return (unescape(value), start.upperBound..<stop)
  }

  /// Undoes `HTMLText.escape` on an attribute value (`&amp;` last, so `&amp;lt;` stays `&lt;`).
  static func unescape(_ s: String) -> String {
    guard s.contains("&") else { return s }
    return s.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
      .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
      .replacingOccurrences(of: "&amp;", with: "&")
  }
}
