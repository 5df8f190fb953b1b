import Foundation

/// A link as sourcekeep stores and fetches it.
///
/// Normalisation makes the same article cited twice one link: trim, lowercase scheme and
/// host, drop the default port and the `#fragment`. The query is kept byte for byte:
/// WeChat's long links (`/s?__biz=…==&mid=…&sn=…`) are only valid with it.
public struct NormalizedURL: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The normalised URL text.
  public let string: String
  /// Lowercased scheme (`https`).
  public let scheme: String
  /// Lowercased host (`mp.weixin.qq.com`); empty for schemes without one.
  public let host: String

  /// Whether sourcekeep fetches this link at all (only http and https).
  public var isFetchable: Bool { scheme == "http" || scheme == "https" }

  public var description: String { string }
  public static func < (a: NormalizedURL, b: NormalizedURL) -> Bool { a.string < b.string }

  /// What a raw link in a digest turns out to be.
  public enum Parsed: Sendable, Equatable {
    /// An http(s) link to fetch.
    case web(NormalizedURL)
    /// A link with another scheme (`javascript:`, `ftp:`, `file:` …): recorded as
    /// `excluded`/`scheme`, never fetched.
    case otherScheme(NormalizedURL)
    /// Not a link to keep: `mailto:`, `tel:`, relative links, fragments, empty or malformed.
    case ignored(why: String)
  }

  /// Classifies and normalises a raw link from a digest.
  public static func parse(_ raw: String) -> Parsed {
    let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !text.isEmpty else { return .ignored(why: "empty link") }
    guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else {
      return .ignored(why: "relative link")
    }
    let schemeText = text[..<colon]
    // RFC 3986: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
    guard let first = schemeText.first, first.isASCII, first.isLetter,
      schemeText.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
    else { return .ignored(why: "relative link") }
    let scheme = schemeText.lowercased()
    let rest = String(text[text.index(after: colon)...])
    switch scheme {
    case "mailto", "tel", "sms":
      return .ignored(why: "\(scheme): link")
    case "http", "https":
      guard let url = normaliseWeb(scheme: scheme, rest: rest) else {
        return .ignored(why: "malformed \(scheme) URL")
      }
      return .web(url)
    default:
      let withoutFragment =
        rest.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first
        .map(String.init) ?? rest
      return .otherScheme(NormalizedURL(string: "\(scheme):\(withoutFragment)", scheme: scheme, host: ""))
    }
  }

  private static func normaliseWeb(scheme: String, rest: String) -> NormalizedURL? {
    // Tolerate `https:/x` and `https:\\x` typos? No: only the standard `//` form is a link.
    guard rest.hasPrefix("//") else { return nil }
    var remainder = Substring(rest.dropFirst(2))
    if let hash = remainder.firstIndex(of: "#") { remainder = remainder[..<hash] }
    let authorityEnd = remainder.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? remainder.endIndex
    let authority = remainder[..<authorityEnd]
    var pathAndQuery = String(remainder[authorityEnd...])
    // userinfo@host:port — userinfo is kept as written; it is rare in citations.
    var userinfo = ""
    var hostPort = Substring(authority)
    if let at = authority.lastIndex(of: "@") {
      userinfo = String(authority[...at])
      hostPort = authority[authority.index(after: at)...]
    }
    var host: String
    var port: String = ""
    if hostPort.hasPrefix("[") {  // IPv6 literal
      guard let close = hostPort.firstIndex(of: "]") else { return nil }
      host = String(hostPort[...close]).lowercased()
      let after = hostPort[hostPort.index(after: close)...]
      if after.hasPrefix(":") { port = String(after.dropFirst()) } else if !after.isEmpty { return nil }
    } else if let c = hostPort.lastIndex(of: ":") {
      host = String(hostPort[..<c]).lowercased()
      port = String(hostPort[hostPort.index(after: c)...])
    } else {
      host = hostPort.lowercased()
    }
    if host.hasSuffix(".") && host.count > 1 { host.removeLast() }
    guard !host.isEmpty, !host.contains(where: { $0.isWhitespace || "<>\"{}|\\^`".contains($0) }) else {
      return nil
    }
    if !port.isEmpty {
      guard port.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(port), n > 0, n < 65536 else { return nil }
      port = String(n)
      if (scheme == "http" && n == 80) || (scheme == "https" && n == 443) { port = "" }
    }
    if pathAndQuery.isEmpty || pathAndQuery.hasPrefix("?") { pathAndQuery = "/" + pathAndQuery }
    pathAndQuery = percentEncodeUnsafe(pathAndQuery)
    let string = "\(scheme)://\(userinfo)\(host)\(port.isEmpty ? "" : ":" + port)\(pathAndQuery)"
    return NormalizedURL(string: string, scheme: scheme, host: host)
  }

  /// Percent-encodes spaces, controls and non-ASCII in path and query, so the link is a
  /// valid request target; everything else (including `%XX`, `=`, `&`, `*`) stays as written.
  private static func percentEncodeUnsafe(_ s: String) -> String {
    var out = ""
    for byte in s.utf8 {
      if byte <= 0x20 || byte >= 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "<")
        || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "`")
      {
        out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
      } else {
        out.unicodeScalars.append(Unicode.Scalar(byte))
      }
    }
    return out
  }

  /// Parses an already normalised URL from the catalog without re-normalising.
  public init(storedString: String) {
    self.string = storedString
    let scheme = storedString.split(separator: ":", maxSplits: 1).first.map { $0.lowercased() } ?? ""
    self.scheme = scheme
    if let r = storedString.range(of: "://") {
      let after = storedString[r.upperBound...]
      let end = after.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? after.endIndex
      var auth = after[..<end]
      if let at = auth.lastIndex(of: "@") { auth = auth[auth.index(after: at)...] }
      if auth.hasPrefix("["), let close = auth.firstIndex(of: "]") {
        self.host = String(auth[...close])
      } else {
        self.host = String(auth.split(separator: ":", maxSplits: 1).first ?? "")
      }
    } else {
      self.host = ""
    }
  }

  private init(string: String, scheme: String, host: String) {
    self.string = string
    self.scheme = scheme
    self.host = host
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
