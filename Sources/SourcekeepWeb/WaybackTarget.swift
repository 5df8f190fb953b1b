/// What a `/web/…` address asks for (docs/design.md#web-view): Wayback's URL forms, read from the
/// raw request target so the archived URL keeps its own `//`, `?` and `&`.
enum WaybackTarget: Equatable {
  /// How an archived capture is served.
  enum Modifier: String {
    /// `/web/<ts>/<url>`: the readable copy under the archive's banner.
    case readable = ""
    /// `/web/<ts>id_/<url>`: the original body, as archived.
    case original = "id_"
    /// `/web/<ts>im_/<url>`: an archived image (a page requisite).
    case image = "im_"
  }

  case memento(timestamp: String, modifier: Modifier, url: String)
  case timemap(url: String)
  case timegate(url: String)

  /// Parses a request target that starts with `/web/`; nil when what follows is not an
  /// http(s) URL (the caller answers 404).
  static func parse(_ target: String) -> WaybackTarget? {
    guard target.hasPrefix("/web/") else { return nil }
    let rest = target.dropFirst(5)
    if rest.hasPrefix("timemap/link/") {
      return archivedURL(rest.dropFirst("timemap/link/".count)).map { .timemap(url: $0) }
    }
    if let slash = rest.firstIndex(of: "/") {
      let head = rest[..<slash]
      var digits = head
      var modifier = Modifier.readable
      for m in [Modifier.original, .image] where head.hasSuffix(m.rawValue) {
        digits = head.dropLast(m.rawValue.count)
        modifier = m
      }
      if (1...14).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
        return archivedURL(rest[rest.index(after: slash)...]).map {
          .memento(timestamp: String(digits), modifier: modifier, url: $0)
        }
      }
    }
    return archivedURL(rest).map { .timegate(url: $0) }
  }

  /// `https://…` as given; `https:/host/…` (a proxy or client that merged the double slash)
  /// restored; nil for any other scheme.
  static func archivedURL(_ text: Substring) -> String? {
    let lower = text.prefix(8).lowercased()
    for scheme in ["http:", "https:"] where lower.hasPrefix(scheme) {
      let after = text.dropFirst(scheme.count)
      if after.hasPrefix("//") { return after.count > 2 ? String(text) : nil }
      if after.hasPrefix("/"), after.count > 1 { return scheme + "/" + after }
      return nil
    }
    return nil
  }
}
