import Foundation
public import Hummingbird
public import Logging
public import ServiceLifecycle
public import SourcekeepCore

/// The web view as one Hummingbird application (docs/design.md#web-view), the same for
/// `sourcekeep serve` and the daemon.
public enum WebServer {
  /// The router with every route and the middleware around them: security headers (outside,
  /// so errors get them too), then basic auth when configured.
  public static func router(
    catalog: Catalog, config: Config, settings: WebSettings, htpasswd: Htpasswd?, logger: Logger
  ) -> Router<WebRequestContext> {
    let router = Router(context: WebRequestContext.self)
    router.add(middleware: SecurityHeadersMiddleware<WebRequestContext>(logger: logger))
    if settings.auth == .basic, let htpasswd {
      router.add(middleware: BasicAuthMiddleware(htpasswd: htpasswd, limiter: FailureLimiter()))
    }
    let archive = WebArchive(catalog: catalog, layout: StoreLayout(root: config.storage.dir), config: config)
    WebRoutes(archive: archive, publicURL: settings.publicURL).register(on: router)
    return router
  }

  /// Limits on a request's head (docs/design.md#web-view, "Limits"): a field of up to 8 KiB,
  /// 16 KiB of fields, 100 fields. A head over them closes the connection before any handler
  /// runs. (NIO's defaults are 80 KiB and 1,000 fields; a browser sends about 1 KiB.)
  static let requestHead = (fieldSize: 8 << 10, listSize: 16 << 10, fields: 100)

  /// The application listening on `host:port`; `onRunning` gets the bound port (useful with
  /// port 0). Idle connections close after 30 s (slow clients cannot hold sockets open);
  /// request heads are bounded by `requestHead`.
  public static func application(
    router: Router<WebRequestContext>, host: String, port: Int, logger: Logger,
    onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
  ) -> some ApplicationProtocol & Service {
    Application(
      router: router,
      server: .http1(
        configuration: .init(
          idleTimeout: .seconds(30),
          httpDecoderConfiguration: .init(
            maxHeaderFieldSize: requestHead.fieldSize, maxHeaderListSize: requestHead.listSize,
            maxHeaderFieldCount: requestHead.fields))),
      configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
      onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
      logger: logger)
  }
}

/// The web view running beside other work (the daemon): started, then stopped gracefully —
/// the listener closes and requests in flight finish.
public final class WebService: Sendable {
  private let group: ServiceGroup
  private let task: Task<Void, Never>

  /// Starts serving; `onRunning` gets the bound port once the listener is up.
  public init(
    catalog: Catalog, config: Config, settings: WebSettings, htpasswd: Htpasswd?, logger: Logger,
    onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
  ) throws(WebSettings.Problem) {
    guard let address = try settings.address() else {
      throw WebSettings.Problem(description: "[web] listen is \"\": the web view is off")
    }
    let router = WebServer.router(
      catalog: catalog, config: config, settings: settings, htpasswd: htpasswd, logger: logger)
    let app = WebServer.application(
      router: router, host: address.host, port: address.port, logger: logger, onRunning: onRunning)
    let group = ServiceGroup(
      configuration: ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [], logger: logger))
    self.group = group
    task = Task {
      do {
        try await group.run()
      } catch {
        logger.error("the web view stopped: \(error)")
      }
    }
  }

  /// Closes the listener and lets requests in flight finish; returns when it has stopped.
  public func stop() async {
    await group.triggerGracefulShutdown()
    await task.value
  }
}
