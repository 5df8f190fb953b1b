public import Foundation
import Synchronization

/// Where a streamed report's text goes: a file (standard output included), written in 64 KiB
/// pieces as the renderer produces it, or memory (`render(_:) -> String`, tests, the web view).
///
/// Like C's stdio, a failed write does not interrupt the renderer: the first error is kept,
/// later text is dropped, and `finish()` throws it, so the caller reports it once.
public final class ReportOutput: Sendable {
  private struct State {
    var buffer: [UInt8] = []
    var error: (any Error)?
  }

  private let handle: FileHandle?
  private let sink: (@Sendable ([UInt8]) throws -> Void)?
  private let state = Mutex(State())
  private static let flushAt = 64 * 1024

  /// Text written to `handle` as it comes; nil keeps it in memory (`text`).
  public init(handle: FileHandle?) {
    self.handle = handle
    self.sink = nil
  }

  /// Text handed to `sink` in pieces of about 64 KiB as it comes (the web view streams a report
  /// into its response this way). An error `sink` throws is kept like a write error.
  public init(sink: @escaping @Sendable ([UInt8]) throws -> Void) {
    self.handle = nil
    self.sink = sink
  }

  /// Keeps the text in memory.
  public static func memory() -> ReportOutput { ReportOutput(handle: nil) }

  public func write(_ text: String) {
    state.withLock { state in
      guard state.error == nil else { return }
      state.buffer.append(contentsOf: text.utf8)
      if state.buffer.count >= Self.flushAt { flush(&state) }
    }
  }

  /// Writes what is buffered; throws the first write error, if any.
  public func finish() throws {
    try state.withLock { state in
      flush(&state)
      if let error = state.error { throw error }
    }
  }

  /// Everything written so far (memory output; empty for a file output once flushed).
  public var text: String {
    state.withLock { String(decoding: $0.buffer, as: UTF8.self) }
  }

  /// Hands the buffer to the file or the sink; memory output keeps it.
  private func flush(_ state: inout State) {
    guard !state.buffer.isEmpty, state.error == nil, handle != nil || sink != nil else { return }
    do {
      if let handle { try handle.write(contentsOf: state.buffer) } else { try sink?(state.buffer) }
    } catch {
      state.error = error
    }
    state.buffer.removeAll(keepingCapacity: true)
  }
}

/// The report formats (`report --format`), and the one call that writes any of them.
public enum ReportFormat: String, Sendable, CaseIterable {
  case text, markdown, json, csv, html

  /// Writes `input` in this format to `out`; `colour`, `width` (nil: no wrapping) and
  /// `listPending` apply to text only, `bom` to CSV only.
  public func write<Input: ReportInput>(
    _ input: Input, colour: Bool = false, width: Int? = 80, listPending: Bool = false, bom: Bool = false,
    to out: ReportOutput
  ) throws(Input.Failure) {
    switch self {
    case .text: try TextReport.write(input, width: width, colour: colour, listPending: listPending, to: out)
    case .markdown: try MarkdownReport.write(input, to: out)
    case .json: try JSONReport.write(input, to: out)
    case .csv: try CSVReport.write(input, bom: bom, to: out)
    case .html: try HTMLReport.write(input, to: out)
    }
  }
}
