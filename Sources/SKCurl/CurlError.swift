// Both C modules, in every file that uses libcurl's names: curl.h is included by CCurlShim's
// header and by Clibcurl's, and whichever the importer loads first owns its declarations; a
// file importing only Clibcurl lost every CURLE_* name once import order put CCurlShim first.
internal import CCurlShim
internal import Clibcurl
import Foundation

/// A failed transfer or a failed libcurl call, as a Swift value.
///
/// libcurl reports a `CURLcode`, an `errno` from the socket layer and a sentence in
/// `CURLOPT_ERRORBUFFER`. They are turned into one `Code` here, in `CurlError.classify`, the
/// single choke point for libcurl results, so the rest of sourcekeep never sees a C code.
public struct CurlError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong, in the terms the fetcher's failure taxonomy needs.
  public enum Code: Sendable, Equatable {
    /// The host name did not resolve.
    case resolve
    /// The server refused the connection (`ECONNREFUSED`).
    case connectRefused
    /// The connection could not be made for another reason (unreachable network, ...).
    case connectFailed
    /// A connect, total or low-speed timeout fired.
    case timeout
    /// TLS handshake or certificate failure.
    case tls
    /// The connection was reset or closed before the response was complete.
    case reset
    /// The peer did not speak HTTP (garbage, unsupported protocol, bad framing).
    case protocolError
    /// The address guard refused every address of the host: nothing was connected.
    case addressRefused
    /// The transfer was abandoned because the engine shut down.
    case aborted
    /// libcurl could not create a handle or set an option.
    case setup
    /// Anything else libcurl reported.
    case other
  }

  /// The classified failure.
  public let code: Code
  /// The raw `CURLcode` (0 when the failure did not come from a transfer).
  public let curlCode: Int32
  /// The `errno` libcurl saw on the socket (`CURLINFO_OS_ERRNO`), 0 if none.
  public let osErrno: Int32
  /// libcurl's sentence (`CURLOPT_ERRORBUFFER`, else `curl_easy_strerror`).
  public let message: String
  /// The URL the transfer was for.
  public let url: String

  public init(code: Code, curlCode: Int32 = 0, osErrno: Int32 = 0, message: String, url: String) {
    self.code = code
    self.curlCode = curlCode
    self.osErrno = osErrno
    self.message = message
    self.url = url
  }

  /// What the user can do about it.
  public var remedy: String {
    switch code {
    case .resolve: return "check the host name and the machine's DNS resolver"
    case .connectRefused: return "the server is down or the port is closed; retry later"
    case .connectFailed: return "check network connectivity and any proxy settings"
    case .timeout: return "the server is slow; retry later or raise fetch.timeout_s / fetch.connect_timeout_s"
    case .tls: return "the server's TLS setup is broken (certificate or handshake); try the http:// URL in a browser"
    case .reset: return "the server closed the connection early; retry later"
    case .protocolError: return "the server did not answer with valid HTTP/1.1"
    case .addressRefused:
      return "set fetch.allow_private_networks or add the address to fetch.private_allowlist"
    case .aborted: return "the fetcher was shut down while the transfer ran"
    case .setup: return "libcurl refused an option; check the installed libcurl (curl-config --version)"
    case .other: return "see libcurl's message"
    }
  }

  public var description: String {
    // curl 0: refused before libcurl ran (the address guard); no code to show.
    let codes = curlCode == 0 ? "" : " (curl \(curlCode)\(osErrno != 0 ? ", errno \(osErrno)" : ""))"
    // The fetcher's refusal messages already name the key that allows the address.
    let said = code == .addressRefused && message.contains("fetch.private_allowlist")
    return "\(url): \(message)\(codes)" + (said ? "" : "; \(remedy)")
  }

  /// Maps a finished transfer's `CURLcode` and `errno` to a `Code`.
  ///
  /// - Parameters:
  ///   - curlCode: the transfer's result.
  ///   - osErrno: `CURLINFO_OS_ERRNO`.
  ///   - guardRefused: whether the address guard refused a socket of this transfer.
  /// - Returns: the classified code.
  /// - SeeAlso: <https://curl.se/libcurl/c/libcurl-errors.html>
  static func classify(curlCode: CURLcode, osErrno: Int32, guardRefused: Bool) -> Code {
    switch curlCode {
    case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
      return .resolve
    case CURLE_COULDNT_CONNECT:
      // An address the guard let through was refused by the server: that is what happened,
      // even if the guard refused another address of the host first (`localhost`: ::1, then
      // 127.0.0.1 with only 127.0.0.0/8 allowlisted).
      if osErrno == ECONNREFUSED { return .connectRefused }
      if guardRefused { return .addressRefused }
      if osErrno == ETIMEDOUT { return .timeout }
      return .connectFailed
    case CURLE_OPERATION_TIMEDOUT:
      return .timeout
    case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_ENGINE_NOTFOUND,
      CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_ENGINE_INITFAILED,
      CURLE_SSL_CACERT_BADFILE, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR,
      CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT,
      CURLE_USE_SSL_FAILED:
      return .tls
    case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE, CURLE_GOT_NOTHING:
      return .reset
    case CURLE_UNSUPPORTED_PROTOCOL, CURLE_WEIRD_SERVER_REPLY, CURLE_HTTP2, CURLE_HTTP2_STREAM,
      CURLE_BAD_CONTENT_ENCODING, CURLE_HTTP3, CURLE_URL_MALFORMAT:
      return .protocolError
    case CURLE_ABORTED_BY_CALLBACK:
      return .aborted
    default:
      return .other
    }
  }
}
