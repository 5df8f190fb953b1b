import Dispatch
import Hummingbird
import Logging
import SourcekeepCore
import Synchronization

/// `/report.json|.csv|.md` streamed: the report is written from one catalog read transaction on
/// a Dispatch thread, as the CLI writes it (rows go out as they are read), and its 64 KiB pieces
/// cross to the response through `ReportChunks`, which holds at most a few of them. Memory stays
/// flat whatever the catalog's size; building the whole report model first took over a gigabyte
/// at 1,000,000 links (docs/performance.md#scale).
enum ReportStream {
  static func body(
    _ catalog: Catalog, filter: ReportFilter, format: ReportFormat, publicURL: String?, logger: Logger
  ) -> ResponseBody {
    ResponseBody { writer in
      let chunks = ReportChunks()
      // However this ends (a write to a client that left throws), the report writer is released.
      defer { chunks.abandon() }
      DispatchQueue.global().async {
        let out = ReportOutput(sink: { try chunks.send($0) })
        do {
          try catalog.withReport(filter: filter, publicURL: publicURL) { try format.write($0, to: out) }
          try out.finish()
        } catch is CancellationError {
          // The reader went away; nothing to report.
        } catch {
          logger.error("web report (\(format.rawValue)) failed: \(error)")
        }
        chunks.finish()
      }
      for await chunk in chunks.stream {
        chunks.taken()
        try await writer.write(ByteBuffer(bytes: chunk))
      }
      try await writer.finish(nil)
    }
  }
}

/// A bounded hand-over from the synchronous report writer to the async response: `send` blocks
/// the writer's Dispatch thread while `capacity` pieces wait, and throws `CancellationError` once
/// the response is gone (the client disconnected), so the writer stops sending.
final class ReportChunks: Sendable {
  static let capacity = 4
  let stream: AsyncStream<[UInt8]>
  private let continuation: AsyncStream<[UInt8]>.Continuation
  /// Made with 0 and signalled `capacity` times: libdispatch traps when a semaphore is freed
  /// below the value it was made with, which a reader that leaves early would cause.
  private let slots = DispatchSemaphore(value: 0)
  private let gone = Atomic<Bool>(false)

  init() {
    (stream, continuation) = AsyncStream.makeStream(of: [UInt8].self)
    for _ in 0..<Self.capacity { slots.signal() }
    continuation.onTermination = { [weak self] termination in
      // A cancelled stream wakes a writer waiting for a slot; it sees `gone` and stops.
      if case .cancelled = termination { self?.abandon() }
    }
  }

  func send(_ chunk: [UInt8]) throws {
    slots.wait()
    if gone.load(ordering: .acquiring) {
      slots.signal()
      throw CancellationError()
    }
    continuation.yield(chunk)
  }

  /// The response is gone: a waiting or later `send` throws.
  func abandon() {
    gone.store(true, ordering: .releasing)
    slots.signal()
  }

  /// The response took a piece: one more may be sent.
  func taken() { slots.signal() }

  func finish() { continuation.finish() }
}
