/// The `[web] listen` value (`ADDR:PORT`, `[V6]:PORT` or `localhost:PORT`), parsed.
///
/// Only IP literals and `localhost` are accepted: a host name could resolve to a public
/// address later, and whether the listener is loopback-only decides whether it needs auth.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
  /// The address to bind, without brackets (`127.0.0.1`, `::1`, `localhost`).
  public let host: String
  /// 0…65535 (0: any free port, for tests).
  public let port: Int

  public init?(_ text: String) {
    let host: Substring
    let portText: Substring
    if text.hasPrefix("[") {
      guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
        return nil
      }
      host = text[text.index(after: text.startIndex)..<close]
      portText = text[text.index(close, offsetBy: 2)...]
      guard IPAddress(String(host))?.isV4 == false else { return nil }
    } else {
      guard let colon = text.lastIndex(of: ":") else { return nil }
      host = text[..<colon]
      portText = text[text.index(after: colon)...]
      guard host == "localhost" || IPAddress(String(host))?.isV4 == true else { return nil }
    }
    guard !portText.isEmpty, portText.allSatisfy(\.isASCII), portText.allSatisfy(\.isNumber),
      let port = Int(portText), (0...65535).contains(port)
    else { return nil }
    self.host = String(host)
    self.port = port
  }

  /// True when only this machine can connect: `localhost`, 127.0.0.0/8 or `::1`.
  public var isLoopback: Bool {
    if host == "localhost" { return true }
    guard let ip = IPAddress(host) else { return false }
    if ip.isV4 { return ip.bytes[0] == 127 }
    return ip.bytes == [UInt8](repeating: 0, count: 15) + [1]
  }

  public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
