/// Only http(s) URLs become `href` or `src` in a rendition (docs/design.md#security): a
/// `javascript:`, `data:` or `vbscript:` address from the page is dropped, not neutralised.
enum SafeLink {
  /// The URL when it is an absolute http(s) URL with no control characters, else nil.
  static func web(_ url: String?) -> String? {
    guard let url, !url.isEmpty else { return nil }
    let head = url.prefix(8).lowercased()
    guard head.hasPrefix("http://") || head.hasPrefix("https://") else { return nil }
    guard !url.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
    return url
  }
}
