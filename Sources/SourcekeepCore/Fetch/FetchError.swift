/// A fetcher failure that is not a check outcome: bad configuration, a missing engine, a
/// body that cannot be decoded. Check outcomes (dns, timeout, 404, ...) are never errors:
/// they are `FetchResult` values.
public struct FetchError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Stable codes.
  public enum Code: Sendable, Equatable {
    /// A `fetch.private_allowlist` entry is not an address or CIDR block.
    case badAllowlistEntry
    /// libcurl could not start.
    case engineUnavailable
    /// The body's `Content-Encoding` is unknown, corrupt, or decodes past the limit.
    case undecodableBody
  }

  /// What failed.
  public let code: Code
  /// The sentence for the user, ending with what to do.
  public let message: String

  public init(_ code: Code, _ message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { message }
}
