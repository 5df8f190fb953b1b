import Dispatch
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SourcekeepCore
import Synchronization
import Testing

@testable import SourcekeepWeb

/// `/report.*` is streamed from the catalog as the CLI streams it (docs/design.md#web-view):
/// the same bytes, HEAD without a body, and a writer that never runs ahead of the reader.
@Suite("Report downloads streamed")
struct ReportStreamTests {
  @Test func downloadsEqualTheStreamedReportByteForByte() async throws {
    let store = try await SharedStore.instance.get()
    let catalog = try store.readCatalog()
    let cases: [(String, ReportFormat, String, ReportFilter)] = [
      ("/report.json", .json, "", ReportFilter()),
      ("/report.csv", .csv, "?state=dead,failing", ReportFilter(states: [.dead, .failing])),
      ("/report.md", .markdown, "?digest=2026-03-09", ReportFilter(digest: "2026-03-09")),
    ]
    try await withWebClient(store) { client in
      for (path, format, query, filter) in cases {
        // The report is made in memory just before and just after the download: the Markdown
        // report names the minute it was made in ("checked by sourcekeep …", "Link health —
        // …"), so the download equals one of the two even when a minute ends in between.
        func inMemory() throws -> String {
          let output = ReportOutput.memory()
          try catalog.withReport(filter: filter) { try format.write($0, to: output) }
          return output.text
        }
        let before = try inMemory()
        try await client.execute(uri: path + query, method: .get) { r in
          let after = try inMemory()
          #expect(r.status == .ok)
          // The report's own "generated at" line differs by the second it was written in.
          let strip = { (s: String) in
            s.split(separator: "\n").filter { !$0.contains("generated") }.joined(separator: "\n")
          }
          #expect(strip(r.text) == strip(before) || strip(r.text) == strip(after), "\(path)")
          #expect(r.text.count > 100)
        }
        try await client.execute(uri: path + query, method: .head) { r in
          #expect(r.status == .ok)
          #expect(r.headers[.contentType]?.isEmpty == false)
          #expect(r.body.readableBytes == 0)
        }
      }
    }
  }

  /// The writer blocks once `capacity` pieces wait, pieces arrive in order, and a reader that
  /// leaves releases a writer blocked on a full hand-over.
  @Test func theHandOverIsBoundedOrderedAndReleasedWhenTheReaderLeaves() async throws {
    let chunks = ReportChunks()
    let sent = Atomic<Int>(0)
    let writerDone = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      do {
        for i in 0..<50 {
          try chunks.send([UInt8(i)])
          sent.add(1, ordering: .relaxed)
        }
      } catch {}
      chunks.finish()
      writerDone.signal()
    }
    var received: [UInt8] = []
    for await chunk in chunks.stream {
      // Never more than `capacity` sent and not yet taken.
      #expect(sent.load(ordering: .relaxed) - received.count <= ReportChunks.capacity)
      received += chunk
      chunks.taken()
    }
    #expect(received == (0..<50).map { UInt8($0) })
    #expect(writerDone.wait(timeout: .now() + 60) == .success)

    // A reader that takes nothing and leaves: the writer, blocked after `capacity` pieces, stops.
    let stuck = ReportChunks()
    let stopped = DispatchSemaphore(value: 0)
    let outcome = Mutex<String>("")
    DispatchQueue.global().async {
      do {
        for _ in 0..<1_000 { try stuck.send([0]) }
        outcome.withLock { $0 = "sent everything" }
      } catch is CancellationError {
        outcome.withLock { $0 = "cancelled" }
      } catch {
        outcome.withLock { $0 = "\(error)" }
      }
      stopped.signal()
    }
    stuck.abandon()
    #expect(stopped.wait(timeout: .now() + 60) == .success)
    #expect(outcome.withLock { $0 } == "cancelled")
  }
}
