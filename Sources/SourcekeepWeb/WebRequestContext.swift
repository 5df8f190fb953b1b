public import Hummingbird

/// The request context of the web view: Hummingbird's core storage plus the client's address,
/// which the basic-auth failure limiter keys on.
public struct WebRequestContext: RequestContext {
  public var coreContext: CoreRequestContextStorage
  /// The client's IP address as text (`127.0.0.1`, `::1`); nil when the channel has none (tests).
  public let clientAddress: String?

  public init(source: ApplicationRequestContextSource) {
    coreContext = CoreRequestContextStorage(source: source)
    clientAddress = source.channel.remoteAddress?.ipAddress
  }

  /// Requests carry no body worth reading: every route is GET or HEAD.
  public var maxUploadSize: Int { 0 }
}
