import ArgumentParser
import Foundation
import Logging
import SourcekeepCore
import SourcekeepWeb

/// `sourcekeep serve [--listen ADDR:PORT]`: the web view without the daemon.
struct ServeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Serve the web view (digests, link histories, archived copies, Memento, metrics) without the daemon.",
    discussion: """
      Read-only: opens the catalog as a reader (no store lock; a running daemon keeps writing) \
      and reads WARC records at the catalog's offsets. Listens on [web] listen unless --listen \
      is given. A non-loopback address with auth = "none" is refused (exit 78) unless [web] \
      public = true. SIGTERM or SIGINT closes the listener and lets requests in flight finish.
      """)

  @OptionGroup var common: CommonOptions

  @Option(help: "ADDR:PORT to listen on (default: [web] listen, 127.0.0.1:8470).")
  var listen: String?

  func run() async throws {
    let context = try CommandContext.load(common)
    var settings = WebSettings(config: context.config)
    if let listen { settings.listen = listen }
    let htpasswd: Htpasswd?
    let address: ListenAddress
    do {
      htpasswd = try settings.validate()
      guard let found = try settings.address() else {
        printError("sourcekeep: [web] listen is \"\" (the web view is off); give --listen ADDR:PORT to serve anyway.")
        throw ExitCode.config
      }
      address = found
    } catch let problem as WebSettings.Problem {
      printError("sourcekeep: \(problem)")
      throw ExitCode.config
    }
    let catalog = try context.readCatalog()
    LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
    let logger = Logger(label: "sourcekeep.web")
    let router = WebServer.router(
      catalog: catalog, config: context.config, settings: settings, htpasswd: htpasswd, logger: logger)
    let app = WebServer.application(router: router, host: address.host, port: address.port, logger: logger) { port in
      logger.notice(
        "web view listening on http://\(address.host.contains(":") ? "[\(address.host)]" : address.host):\(port)/")
    }
    do {
      try await app.runService()
    } catch {
      printError("sourcekeep: cannot serve on \(settings.listen): \(error). Is another process using the port?")
      throw ExitCode.failure
    }
  }
}
