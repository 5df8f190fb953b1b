public import Dispatch
import Foundation
import SKSystem

/// SIGTERM, SIGINT and SIGHUP delivered as Dispatch events on a queue (the daemon's, or an
/// `ingest now`/`check now` run's).
///
/// The default actions are ignored first, so the signals only reach the Dispatch sources
/// (`signalfd`-style delivery on a queue, as swift-service-lifecycle's `UnixSignals` does):
/// the handlers run as ordinary code, never inside an async-signal context.
///
/// Not Sendable: its owner (the `Daemon` actor, a CLI run) keeps it; the handlers it is given are
/// the Sendable part.
public final class SignalWatcher {
  private let sources: [any DispatchSourceSignal]

  public init(queue: DispatchQueue, handlers: [(Int32, @Sendable () -> Void)]) {
    var sources: [any DispatchSourceSignal] = []
    for (number, handler) in handlers {
      ProcessSignals.ignore(number)
      let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
      source.setEventHandler(handler: handler)
      source.resume()
      sources.append(source)
    }
    self.sources = sources
  }

  public func cancel() {
    for source in sources { source.cancel() }
  }

  /// The signal's name for the journal (`SIGTERM`).
  public static func name(_ number: Int32) -> String {
    switch number {
    case SIGTERM: "SIGTERM"
    case SIGINT: "SIGINT"
    case SIGHUP: "SIGHUP"
    default: "signal \(number)"
    }
  }
}
