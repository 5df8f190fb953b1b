import Foundation

/// Places a readable rendition (a complete HTML document, docs/design.md#readable-copies)
/// inside the web view's copy page: its `<body>` content only (the page's own head, title and
/// style stay out), with every image pointed at the archive's `im_` address so images load
/// from this origin and never from the live web.
///
/// The rendition is already safe markup by construction (no script, no event attribute, no
/// iframe, only http(s) links); the copy page's Content-Security-Policy allows no script
/// whatever it holds, and images only from this origin.
enum ReadableEmbed {
  static func body(_ document: String, timestamp: String) -> String {
    var inner = Substring(document)
    if let open = inner.range(of: "<body", options: .caseInsensitive),
      let close = inner[open.upperBound...].firstIndex(of: ">")
    {
      inner = inner[inner.index(after: close)...]
    }
    if let end = inner.range(of: "</body>", options: [.caseInsensitive, .backwards]) {
      inner = inner[..<end.lowerBound]
    }
    return neutralizeBidi(rewriteImages(String(inner), timestamp: timestamp))
  }

  /// Bidi embedding and override characters shown as their code points, as `HTML.escape`
  /// shows them on every other page: a title holding U+202E must not reverse the banner's
  /// line or anything after it.
  static func neutralizeBidi(_ html: String) -> String {
    guard html.unicodeScalars.contains(where: isBidiControl) else { return html }
    var out = String.UnicodeScalarView()
    for scalar in html.unicodeScalars {
      if isBidiControl(scalar) {
        out.append(contentsOf: "[U+\(String(scalar.value, radix: 16, uppercase: true))]".unicodeScalars)
      } else {
        out.append(scalar)
      }
    }
    return String(out)
  }

  static func isBidiControl(_ s: Unicode.Scalar) -> Bool {
    (0x202A...0x202E).contains(s.value) || (0x2066...0x2069).contains(s.value)
  }

  /// `src="https://…"` of each `<img>` → `src="/web/<ts>im_/https://…"`; other `src` values
  /// (`data:`, relative) are left as they are (the policy decides what loads).
  static func rewriteImages(_ html: String, timestamp: String) -> String {
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
      for attribute in ["src=\"", "data-src=\""] {
        guard let start = tag.range(of: " " + attribute, options: .caseInsensitive),
          let stop = tag[start.upperBound...].firstIndex(of: "\"")
        else { continue }
        let value = String(tag[start.upperBound..<stop])
        let url = value.replacingOccurrences(of: "&amp;", with: "&")
        guard HTML.isWeb(url) else { continue }
        tag.replaceSubrange(
          start.upperBound..<stop, with: HTML.escape(WebPath.memento(timestamp, url, modifier: "im_")))
      }
      out += tag
      rest = rest[rest.index(after: tagEnd)...]
    }
    return out + rest
  }
}
