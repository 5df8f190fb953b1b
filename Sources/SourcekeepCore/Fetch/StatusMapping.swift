/// HTTP status codes and transport failures → `CheckStatus` (docs/design.md#check-status).
///
/// A named table, tested without a network. Redirect codes never reach it: the fetcher
/// follows them.
public enum StatusMapping {
  /// The status of a final HTTP response.
  public static func classify(httpStatus code: Int) -> (CheckStatus, CheckReason?) {
    switch code {
    case 200..<300, 304: return (.ok, nil)
    case 404, 410: return (.gone, nil)
    case 401, 403, 451: return (.forbidden, nil)
    case 429: return (.rateLimited, nil)
    case 500..<600: return (.serverError, nil)
    // Other 4xx (400, 405, 406, 418, ...) are what bot walls answer to clients they
    // dislike: inconclusive, like a verification page.
    case 400..<500: return (.blocked, .clientError)
    // 1xx as final, 3xx without Location, or nonsense: not a usable HTTP answer.
    default: return (.unreachable, .protocol)
    }
  }

  /// Whether a response with this code is followed as a redirect (when it has a Location).
  public static func isRedirect(_ code: Int) -> Bool {
    [301, 302, 303, 307, 308].contains(code)
  }

  /// Whether a redirect chain from `original` to `final` only canonicalised the URL
  /// (http→https, `www.`, a trailing slash), which does not count as `redirected`.
  public static func isTrivialRedirect(from original: String, to final: String) -> Bool {
    func canonical(_ s: String) -> String {
      var t = s.lowercased()
      for prefix in ["https://", "http://"] where t.hasPrefix(prefix) { t.removeFirst(prefix.count) }
      if t.hasPrefix("www.") { t.removeFirst(4) }
      while t.hasSuffix("/") { t.removeLast() }
      return t
    }
    return canonical(original) == canonical(final)
  }
}
