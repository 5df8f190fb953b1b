import Foundation
internal import SKCurl

extension Fetcher {
  /// `fetch.proxy` as the engine takes it: "" no proxy (the environment's variables are
  /// ignored), "env" the environment's variables, else the URL.
  static func proxyMode(_ setting: String) -> TransferProxy {
    switch setting {
    case "": return .none
    case "env": return .environment
    default: return .url(setting)
    }
  }

  /// The proxy a request to `scheme` would go through, for messages: its URL without any
  /// user name or password, or nil when there is none.
  nonisolated func proxyName(scheme: String) -> String? {
    var raw: String?
    switch Fetcher.proxyMode(config.proxy) {
    case .none: return nil
    case .url(let u): raw = u
    case .environment:
      let env = ProcessInfo.processInfo.environment
      let names = scheme == "https" ? ["https_proxy", "HTTPS_PROXY"] : ["http_proxy"]
      raw = (names + ["all_proxy", "ALL_PROXY"]).lazy.compactMap { env[$0] }.first { !$0.isEmpty }
    }
    guard let raw else { return nil }
    guard var parts = URLComponents(string: raw) else { return "(unparsable proxy URL)" }
    parts.user = nil
    parts.password = nil
    return parts.string ?? raw
  }

  /// Screens one hop before anything is sent: the host as libcurl will read it, and, when
  /// a proxy carries the request (and so only the proxy would see the real address), every
  /// address the host resolves to. Returns nil when the hop may go ahead.
  nonisolated func screen(_ url: String) async -> (status: CheckStatus, reason: CheckReason, error: CurlError)? {
    guard let host = AddressGuard.curlHost(of: url) else {
      let error = CurlError(code: .protocolError, message: "libcurl cannot parse this URL", url: url)
      return (.unreachable, .protocol, error)
    }
    // Without a proxy the connect-time guard sees every address a name resolves to.
    let proxied = proxyMode != .none
    let literal = AddressGuard.literalAddresses(curlHost: host, names: proxied)
    func refused(_ ip: IPAddress) -> (CheckStatus, CheckReason, CurlError) {
      let address = ip.embeddedV4.map { "\(ip) (\($0))" } ?? "\(ip)"
      let what = literal != nil ? "address \(address) (host \(host))" : "\(host) resolves to \(address), which"
      let message = "\(what) is on a private network, \(notAllowlisted); nothing was sent. \(allowing(ip))"
      let error = CurlError(code: .addressRefused, message: message, url: url)
      return (.excluded, .privateNetwork, error)
    }
    if let literal {
      return literal.first { !addressGuard.admits($0) }.map(refused)
    }
    guard proxied, !addressGuard.allowPrivateNetworks else { return nil }
    switch await HostResolver.resolve(host) {
    case .failure(let failure):
      let error = CurlError(
        code: .resolve,
        message: "cannot resolve \(host) (\(failure)) to check it before sending it through the proxy", url: url)
      return (.unreachable, .dns, error)
    case .success(let addresses):
      let ips = addresses.compactMap { IPAddress(bytes: $0) }
      return ips.first { !addressGuard.admits($0) }.map(refused)
    }
  }

  /// Names the addresses the connect-time guard refused, why, and the key that allows them
  /// (`probe`, docs/design.md#probe); when another address was then tried and failed, that
  /// failure stays the error and the skipped addresses are mentioned.
  nonisolated func explainingRefusal(_ error: CurlError, refused: [IPAddress], url: String) -> CurlError {
    guard !refused.isEmpty, proxyMode == .none else { return error }
    var names: [String] = []
    for ip in refused where !names.contains(ip.description) { names.append(ip.description) }
    let list = names.joined(separator: ", ")
    let host = AddressGuard.curlHost(of: url) ?? url
    let message =
      error.code == .addressRefused
      ? "\(host) resolves to \(list): loopback, private or link-local, \(notAllowlisted); nothing was sent. "
        + allowing(refused[0])
      : error.message + " (\(list) skipped: a private address, \(notAllowlisted))"
    return CurlError(
      code: error.code, curlCode: error.curlCode, osErrno: error.osErrno, message: message, url: error.url)
  }

  /// Why a private address was refused: the allowlist as configured.
  nonisolated var notAllowlisted: String {
    let allowlist = addressGuard.allowlist.map(\.description)
    return allowlist.isEmpty
      ? "and fetch.private_allowlist is empty" : "not in fetch.private_allowlist [\(allowlist.joined(separator: ", "))]"
  }

  /// What allows `ip`.
  nonisolated func allowing(_ ip: IPAddress) -> String {
    "Add \"\(ip)\" to fetch.private_allowlist, or set fetch.allow_private_networks = true"
  }

  /// A connect-time refusal through a proxy refused the proxy itself: say so.
  nonisolated func namingTheProxy(_ error: CurlError, scheme: String, refused: [IPAddress]) -> CurlError {
    guard error.code == .addressRefused, let proxy = proxyName(scheme: scheme) else { return error }
    let at = refused.map(\.description).joined(separator: ", ")
    return CurlError(
      code: .addressRefused, curlCode: error.curlCode, osErrno: error.osErrno,
      message: "the proxy \(proxy) is at \(at), a private address: add it to fetch.private_allowlist to use this proxy",
      url: error.url)
  }
}
