/// Whether landing on `final` after asking for `requested` is a real move.
///
/// Sites redirect http→https, add or drop `www.`, and add or drop a trailing slash all the
/// time; those are the same page (`ok`). A different URL is `redirected`. A deep link that
/// lands on the site's root or home page is how many sites "delete" an article:
/// `soft-404`/`redirect-to-home`.
public enum RedirectJudgement: Sendable, Equatable {
  case same
  case moved
  case toHome

  public init(requested: String, final: String) {
    let a = Self.key(requested)
    let b = Self.key(final)
    if a == b {
      self = .same
      return
    }
    let requestedDeep = !Self.isHome(requested)
    if requestedDeep && Self.isHome(final) {
      self = .toHome
    } else {
      self = .moved
    }
  }

  /// The URL without scheme, `www.`, default trailing slash and fragment: what must match.
  static func key(_ url: String) -> String {
    var s = Substring(url)
    if let r = s.range(of: "://") { s = s[r.upperBound...] }
    if s.hasPrefix("www.") { s = s.dropFirst(4) }
    if let hash = s.firstIndex(of: "#") { s = s[..<hash] }
    var text = String(s)
    if let q = text.firstIndex(of: "?") {
      var path = String(text[..<q])
      if path.hasSuffix("/") { path.removeLast() }
      text = path + text[q...]
    } else if text.hasSuffix("/") {
      text.removeLast()
    }
    return text.lowercasedHost()
  }

  /// Whether a URL is a site's root or a usual home-page path.
  static func isHome(_ url: String) -> Bool {
    var s = Substring(url)
    if let r = s.range(of: "://") { s = s[r.upperBound...] }
    guard let slash = s.firstIndex(of: "/") else { return true }
    var path = s[slash...]
    if let q = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<q] }
    let lower = path.lowercased()
    return ["/", "", "/index.html", "/index.htm", "/index.php", "/home", "/home/"].contains(lower)
  }
}

extension String {
  fileprivate func lowercasedHost() -> String {
    guard let slash = firstIndex(of: "/") else { return lowercased() }
    return self[..<slash].lowercased() + self[slash...]
  }
}
