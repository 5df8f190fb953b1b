import Foundation

/// Resolves relative, protocol-relative and `<base>`-relative URLs against the page URL.
///
/// Why its own type: every URL a page yields (canonical, images, links) must be absolute
/// for the archive and the classifier, and the base is decided once per page.
struct URLResolver {
  let base: URL?

  /// A resolver for a page at `pageURL` whose `<base href>` (if any) is `baseHref`.
  init(pageURL: String?, baseHref: String?) {
    let page = pageURL.flatMap { Self.parse($0, relativeTo: nil) }
    if let href = baseHref?.trimming(" \t\n\r"), !href.isEmpty, let b = Self.parse(href, relativeTo: page) {
      base = b
    } else {
      base = page
    }
  }

  /// The absolute form of `reference`, or nil for empty, `javascript:`, `mailto:`-style and
  /// unparseable references. Absolute http(s) URLs come back as written (trimmed).
  func resolve(_ reference: String) -> String? {
    let r = reference.trimming(" \t\n\r")
    if r.isEmpty || r.hasPrefix("#") { return nil }
    let lower = r.prefix(12).lowercased()
    if lower.hasPrefix("http://") || lower.hasPrefix("https://") { return r }
    if lower.hasPrefix("javascript:") || lower.hasPrefix("mailto:") || lower.hasPrefix("data:")
      || lower.hasPrefix("tel:") || lower.hasPrefix("about:")
    {
      return nil
    }
    if r.hasPrefix("//") {
      return (base?.scheme ?? "https") + ":" + r
    }
    guard let base else { return nil }
    return Self.parse(r, relativeTo: base)?.absoluteString
  }

  static func parse(_ s: String, relativeTo base: URL?) -> URL? {
    if let u = URL(string: s, relativeTo: base) { return u.absoluteURL }
    let escaped = s.addingPercentEncoding(withAllowedCharacters: .urlFragmentAllowed.union(["#", "%"]))
    return escaped.flatMap { URL(string: $0, relativeTo: base)?.absoluteURL }
  }
}
