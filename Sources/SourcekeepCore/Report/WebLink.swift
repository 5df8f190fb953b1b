/// Which URLs a report may turn into a link (docs/design.md#security: only http(s) URLs become
/// `href`, in every report). A digest can cite `javascript:`, `data:` or any other scheme;
/// those are shown as text, never as something to click.
enum WebLink {
  /// Whether `url` starts with `http://` or `https://` (any case) and holds no control
  /// character, so no browser reads another scheme out of it.
  static func isWeb(_ url: String) -> Bool {
    let lower = url.lowercased()
    guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else { return false }
    return !url.unicodeScalars.contains { $0.value < 0x20 || (0x7f...0x9f).contains($0.value) }
  }
}
