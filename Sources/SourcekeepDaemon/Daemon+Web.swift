import Foundation
import Logging
import SourcekeepApp
import SourcekeepCore
import SourcekeepWeb

/// The web view facet of `Daemon` (docs/design.md#web-view): served while the daemon runs, from
/// the daemon's own catalog (reads only; WAL readers never wait for the daemon's writes).
extension Daemon {
  /// Starts the web view when `[web] listen` is set; an exit status when `[web]` cannot be
  /// served (78: a config error; 1: the address is taken — reported once the bind fails).
  func startWeb() -> ExitStatus? {
    let settings = WebSettings(config: loaded.config)
    guard !settings.listen.isEmpty, let catalog else { return nil }
    do {
      let htpasswd = try settings.validate()
      let logger = self.logger
      web = try WebService(
        catalog: catalog, config: loaded.config, settings: settings, htpasswd: htpasswd, logger: logger
      ) { port in
        let host = (try? settings.address()?.host) ?? "127.0.0.1"
        logger.notice("web view listening on http://\(host.contains(":") ? "[\(host)]" : host):\(port)/")
      }
    } catch {
      logger.error("cannot serve the web view: \(error)")
      return .config
    }
    return nil
  }

  /// Closes the web view's listener and waits for requests in flight.
  func stopWeb() async {
    let running = web
    web = nil
    await running?.stop()
  }
}
