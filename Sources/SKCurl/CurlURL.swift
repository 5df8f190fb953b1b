internal import CCurlShim
internal import Clibcurl
import Foundation

/// URLs as libcurl itself reads them (its URL API), so a policy check sees the host the
/// transfer will really use: IPv4 normalized the way libcurl does it (`012.0.0.1` is octal,
/// 10.0.0.1; `0x7f.1` and `2130706433` are 127.0.0.1), percent-encoding decoded.
public enum CurlURL {
  /// The host of `url` as libcurl will use it: a dotted-quad IPv4 address, a bracketed IPv6
  /// address (`[::1]`, zone id left out) or a name; nil when libcurl refuses the URL.
  public static func host(of url: String) -> String? {
    guard CurlGlobal.ensureInitialised(), let handle = curl_url() else { return nil }
    defer { curl_url_cleanup(handle) }
    // The flags libcurl itself passes when it parses CURLOPT_URL.
    let flags = UInt32(CURLU_GUESS_SCHEME) | UInt32(CURLU_NON_SUPPORT_SCHEME)
    guard curl_url_set(handle, CURLUPART_URL, url, flags) == CURLUE_OK else { return nil }
    var part: UnsafeMutablePointer<CChar>? = nil
    guard curl_url_get(handle, CURLUPART_HOST, &part, 0) == CURLUE_OK, let part else { return nil }
    defer { curl_free(part) }
    return String(cString: part)
  }
}

/// Name resolution with the system resolver (`getaddrinfo`), for a check made before a
/// request leaves through a proxy (the proxy, not libcurl, would resolve the name).
public enum HostResolver {
  /// A failed lookup: the resolver's own sentence.
  public struct Failure: Error, Sendable, CustomStringConvertible {
    public let description: String
  }

  private static let queue = DispatchQueue(label: "sourcekeep.resolve", attributes: .concurrent)

  /// Every address `host` resolves to, as raw bytes (4 or 16 each), without blocking the caller's thread.
  public static func resolve(_ host: String) async -> Result<[[UInt8]], Failure> {
    await withCheckedContinuation { continuation in
      queue.async { continuation.resume(returning: resolveNow(host)) }
    }
  }

  static func resolveNow(_ host: String) -> Result<[[UInt8]], Failure> {
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>? = nil
    let rc = getaddrinfo(host, nil, &hints, &list)
    guard rc == 0 else { return .failure(Failure(description: String(cString: gai_strerror(rc)))) }
    defer { freeaddrinfo(list) }
    var out: [[UInt8]] = []
    var node = list
    while let info = node {
      if let sa = info.pointee.ai_addr {
        if info.pointee.ai_family == AF_INET {
          sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
            var a = sin.pointee.sin_addr
            out.append(withUnsafeBytes(of: &a) { Array($0) })
          }
        } else if info.pointee.ai_family == AF_INET6 {
          sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
            var a = sin6.pointee.sin6_addr
            out.append(withUnsafeBytes(of: &a) { Array($0) })
          }
        }
      }
      node = info.pointee.ai_next
    }
    if out.isEmpty { return .failure(Failure(description: "no IPv4 or IPv6 address")) }
    return .success(out)
  }
}
