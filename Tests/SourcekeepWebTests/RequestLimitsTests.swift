import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SourcekeepCore
import Synchronization
import Testing

@testable import SourcekeepWeb

/// Limits on what one request may ask and take (docs/design.md#web-view, "Limits"), and the
/// cache of archived bodies `id_` and `im_` serve (docs/performance.md#web-view).
@Suite("Request limits and kept originals", .serialized)
struct RequestLimitsTests {
  @Test func aRequestOverItsTimeIsCancelledAndAnswered503() async throws {
    let cancelled = Flag()
    let limit = RequestTimeLimit(.milliseconds(200))
    let router = Router()
    router.get(
      "/slow",
      use: limit.wrap { _, _ in
        do {
          try await Task.sleep(for: .seconds(600))
        } catch {
          cancelled.set()
          throw error
        }
        return Response(status: .ok)
      })
    router.get(
      "/quick",
      use: limit.wrap { _, _ in Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "done"))) })
    router.get("/gone", use: limit.wrap { _, _ in throw HTTPError(.notFound) })
    try await Application(router: router).test(.router) { client in
      try await client.execute(uri: "/slow", method: .get) { r in
        #expect(r.status == .serviceUnavailable)
        #expect(r.headers[.retryAfter] == "30")
        #expect(String(buffer: r.body).contains("took longer than the archive allows"))
      }
      try await client.execute(uri: "/quick", method: .get) { r in
        #expect(r.status == .ok)
        #expect(String(buffer: r.body) == "done")
      }
      try await client.execute(uri: "/gone", method: .get) { r in #expect(r.status == .notFound) }
    }
    #expect(cancelled.isSet)
    // No deadline is left waiting: the slow request's fired, the others' were dropped when
    // their handlers answered.
    #expect(limit.deadlines.waiting == 0)
  }

  @Test func deadlinesFireAndCancelledOnesLeaveNothingBehind() async {
    let deadlines = DeadlineBuckets(limit: .milliseconds(100))
    // A deadline that is waited out returns.
    await deadlines.wait()
    // Many waiters cancelled early: each returns at once and none stays registered.
    await withTaskGroup(of: Void.self) { group in
      for _ in 0..<200 { group.addTask { await deadlines.wait() } }
      group.cancelAll()
    }
    #expect(deadlines.waiting == 0)
    // A waiter whose task is cancelled before it waits returns too.
    let task = Task {
      withUnsafeCurrentTask { $0?.cancel() }
      await deadlines.wait()
    }
    await task.value
    #expect(deadlines.waiting == 0)
  }

  @Test func oversizedHeadsAndBodiesAreRefusedOnARealSocket() async throws {
    let store = try await SharedStore.instance.get()
    let logger = Logger(label: "test")
    let router = WebServer.router(
      catalog: try store.readCatalog(), config: store.config, settings: WebSettings(listen: "127.0.0.1:0"),
      htpasswd: nil, logger: logger)
    let app = WebServer.application(router: router, host: "127.0.0.1", port: 0, logger: logger)
    try await app.test(.live) { client in
      // A body on a read-only archive: 413 before any handler runs.
      try await client.execute(
        uri: "/healthz", method: .get, headers: [.contentLength: String(1 << 20)],
        body: ByteBuffer(repeating: 0x61, count: 1 << 20)
      ) { r in
        #expect(r.status == .contentTooLarge)
      }
    }
    try await app.test(.live) { client in
      // A head over the limits: the connection is refused an answer (closed) or a 4xx.
      var headers = HTTPFields()
      headers[HTTPField.Name("X-Padding")!] = String(repeating: "p", count: 32 << 10)
      do {
        try await client.execute(uri: "/healthz", method: .get, headers: headers) { r in
          #expect(r.status.code >= 400 && r.status.code < 500, "\(r.status)")
        }
      } catch {
        // Closed without an answer: refused.
      }
    }
    try await app.test(.live) { client in
      // An ordinary request on the same server is served.
      try await client.execute(uri: "/healthz", method: .get) { r in #expect(r.status == .ok) }
    }
  }

  @Test func archivedOriginalsAreKeptByRecordAndServedAsArchived() async throws {
    let store = try await SharedStore.instance.get()
    let catalog = try store.readCatalog()
    let archive = WebArchive(catalog: catalog, layout: store.layout, config: store.config)
    let mementos = try catalog.mementos(linkID: try #require(try catalog.linkID(forURL: store.articleURL)))
    #expect(mementos.contains { $0.recordType == "revisit" })
    for m in mementos {
      let first = try archive.response(m)
      let again = try archive.response(m)
      #expect(first.body == again.body)
      #expect(first.contentType?.hasPrefix("text/html") == true)
      #expect(String(buffer: first.body).contains(WebStore.chineseText))
    }
    // One kept body per capture (a revisit keeps its own entry, the response's bytes).
    #expect(archive.originals.count == mementos.count)
    // And the id_ route serves those bytes.
    try await withWebClient(store) { client in
      let m = mementos[0]
      try await client.execute(uri: "/web/\(MementoTime.digits(m.capturedAt))id_/\(store.articleURL)", method: .get) {
        r in
        #expect(r.status == .ok)
        let kept = try archive.response(m)
        #expect(r.body == kept.body)
        expectSecurityHeaders(r, archived: true)
      }
    }
  }

  @Test func anExpiredSummaryPageIsRebuiltByOneReaderWhileOthersGetTheKeptOne() throws {
    let cache = PageCache()
    let start = Date(timeIntervalSince1970: 1_000_000)
    #expect(cache.page("/", now: start) { "first" } == "first")
    #expect(cache.page("/", now: start.addingTimeInterval(1)) { "never" } == "first")
    let later = start.addingTimeInterval(PageCache.lifetime + 1)
    // The reader who finds it expired rebuilds; a reader arriving meanwhile gets the old page.
    let rebuilt = cache.page("/", now: later) {
      #expect(cache.page("/", now: later) { "second builder" } == "first")
      return "second"
    }
    #expect(rebuilt == "second")
    #expect(cache.page("/", now: later) { "never" } == "second")
    // A failed rebuild lets the next reader try again.
    struct Failure: Error {}
    let muchLater = later.addingTimeInterval(PageCache.lifetime + 1)
    #expect(throws: Failure.self) { try cache.page("/", now: muchLater) { throw Failure() } }
    #expect(cache.page("/", now: muchLater) { "third" } == "third")
  }

  @Test func aBodyOverTheSizeCapIsServedButNotKept() {
    let cache = RecordCache<String>(capacity: 4000, maxValue: 100)
    var builds = 0
    func get(_ key: String, size: Int) -> String? {
      cache.value(key) {
        builds += 1
        return (String(repeating: "x", count: size), size)
      }
    }
    #expect(get("small", size: 100)?.count == 100)
    #expect(get("small", size: 100)?.count == 100)
    #expect(builds == 1)
    #expect(get("large", size: 101)?.count == 101)
    #expect(get("large", size: 101)?.count == 101)
    #expect(builds == 3)
    #expect(cache.count == 1)
    // The cap never exceeds a quarter of the budget.
    #expect(RecordCache<String>(capacity: 400, maxValue: 1000).maxValue == 100)
  }
}

/// A flag a handler sets from its task.
final class Flag: Sendable {
  private let value = Mutex(false)
  func set() { value.withLock { $0 = true } }
  var isSet: Bool { value.withLock { $0 } }
}
