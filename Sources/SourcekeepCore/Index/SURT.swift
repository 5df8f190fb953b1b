import Foundation

/// Sort-friendly URI Reordering Transform: the key CDX(J) indexes sort and look up by
/// (docs/design.md#cdxj-index). It follows the `surt` package that pywb and cdxj-indexer use
/// (IA canonicalizer, no scheme, no trailing comma), so pywb finds what sourcekeep indexed:
/// `https://www.Example.com:443/A/b?z=1&a=2#f` → `com,example)/a/b?a=2&z=1`.
public enum SURT {
  /// The SURT key of `url`; a URL without `scheme://` is returned lowercased as it is.
  public static func key(_ url: String) -> String {
    // Not scheme://authority (urn:, dns:, the metadata records' urn:sourcekeep:…): lowercased as is.
    guard let colon = url.firstIndex(of: ":"), url[colon...].hasPrefix("://"), let schemeEnd = url.range(of: "://")
    else { return url.lowercased() }
    let scheme = url[..<schemeEnd.lowerBound].lowercased()
    var rest = Substring(url[schemeEnd.upperBound...])
    if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
    // Authority ends at the first '/' or '?'.
    let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
    var authority = rest[..<authorityEnd]
    var pathAndQuery = String(rest[authorityEnd...])
    if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
    var host = authority.lowercased()
    var port: String?
    if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") {
      port = String(host[host.index(after: colon)...])
      host = String(host[..<colon])
    }
    if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") || port == "" { port = nil }
    while host.hasSuffix(".") { host.removeLast() }
    host = stripWWW(host)
    if pathAndQuery.isEmpty { pathAndQuery = "/" }
    if pathAndQuery.hasPrefix("?") { pathAndQuery = "/" + pathAndQuery }
    var path = pathAndQuery
    var query: String?
    if let q = pathAndQuery.firstIndex(of: "?") {
      path = String(pathAndQuery[..<q])
      query = String(pathAndQuery[pathAndQuery.index(after: q)...])
    }
    var key = host.split(separator: ".", omittingEmptySubsequences: false).reversed().joined(separator: ",")
    if let port { key += ":" + port }
    key += ")" + escaped(path).lowercased()
    if let query, !query.isEmpty {
      let sorted = escaped(query).lowercased().split(separator: "&", omittingEmptySubsequences: true).map(String.init)
        .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
      if !sorted.isEmpty { key += "?" + sorted.joined(separator: "&") }
    }
    return key
  }

  /// Google's canonical escaping, as `surt` does it: unescape `%XX` until nothing changes,
  /// then escape control bytes, space, non-ASCII, `#` and `%` (`%7E` → `~`, `中` → `%E4%B8%AD`).
  static func escaped(_ text: String) -> String {
    var bytes = Array(text.utf8)
    while true {
      let next = unescapeOnce(bytes)
      if next == bytes { break }
      bytes = next
    }
    var out = ""
    for b in bytes {
      if b <= 0x20 || b >= 0x7F || b == UInt8(ascii: "#") || b == UInt8(ascii: "%") {
        out += "%" + String(format: "%02X", b)
      } else {
        out.unicodeScalars.append(Unicode.Scalar(b))
      }
    }
    return out
  }

  private static func unescapeOnce(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var i = 0
    while i < bytes.count {
      if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count, let hi = hex(bytes[i + 1]), let lo = hex(bytes[i + 2]) {
        out.append(hi << 4 | lo)
        i += 3
      } else {
        out.append(bytes[i])
        i += 1
      }
    }
    return out
  }

  private static func hex(_ b: UInt8) -> UInt8? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
    default: return nil
    }
  }

  /// `www.`, `www1.` … are dropped, as the IA canonicalizer does (`host_massage`).
  private static func stripWWW(_ host: String) -> String {
    guard host.hasPrefix("www") else { return host }
    let afterWWW = host.dropFirst(3)
    let digits = afterWWW.prefix { $0.isASCII && $0.isNumber }
    let rest = afterWWW.dropFirst(digits.count)
    guard rest.hasPrefix("."), rest.count > 1 else { return host }
    return String(rest.dropFirst())
  }
}
