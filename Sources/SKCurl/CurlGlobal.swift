internal import CCurlShim
internal import Clibcurl
import Foundation

/// Process-wide libcurl facts and one-time initialisation.
///
/// `curl_global_init` is not thread-safe, so it runs exactly once, before any handle is
/// made, through a Swift `static let` (which Swift initialises lazily and atomically).
public enum CurlGlobal {
  private static let initialised: Bool = {
    curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
  }()

  /// Runs `curl_global_init` once; returns false if libcurl could not initialise.
  @discardableResult
  public static func ensureInitialised() -> Bool { initialised }

  /// The libcurl version string, e.g. `7.88.1`.
  /// - SeeAlso: <https://curl.se/libcurl/c/curl_version_info.html>
  public static var version: String {
    guard let info = sk_curl_version_info(), let v = info.pointee.version else {
      return "unknown"
    }
    return String(cString: v)
  }

  /// The protocols this libcurl was built with, lowercased (`http`, `https`, ...).
  public static var protocols: [String] {
    guard let info = sk_curl_version_info(), var p = info.pointee.protocols else {
      return []
    }
    var out: [String] = []
    while let name = p.pointee {
      out.append(String(cString: name).lowercased())
      p = p.advanced(by: 1)
    }
    return out
  }

  /// Whether this libcurl has a TLS backend (needed for https).
  public static var hasTLS: Bool { sk_curl_version_has_ssl() != 0 }
}
