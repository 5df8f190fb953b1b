import HTTPTypes
import Hummingbird

/// The time a request may take (docs/design.md#web-view, "Limits"): its handler races a
/// deadline, and when the deadline wins the handler is cancelled and the client gets 503
/// with `Retry-After`, so a page that got too expensive (a search over a huge catalog, a
/// report of every link) answers instead of holding the connection.
///
/// Structured concurrency: the handler is a child task, so nothing outlives the request.
/// The cost is that the 503 goes out once the handler notices its cancellation; the handlers'
/// catalog reads are synchronous and run to their end (each is one SQLite read), and what
/// runs between them stops. Applied to every route handler rather than as a
/// `RouterMiddleware`: a middleware's `next` cannot be moved into a child task.
struct RequestTimeLimit: Sendable {
  /// 10 s: far above any page on a 2,000-article store (tens of milliseconds,
  /// docs/performance.md#web-view), short enough that a stuck request frees its connection.
  static let standard = RequestTimeLimit(.seconds(10))

  let limit: Duration
  /// The deadlines' timers, shared by every request this limit wraps.
  let deadlines: DeadlineBuckets

  init(_ limit: Duration) {
    self.limit = limit
    deadlines = DeadlineBuckets(limit: limit)
  }

  /// `handler` wrapped in the limit.
  func wrap<Context: RequestContext>(
    _ handler: @escaping @Sendable (Request, Context) async throws -> Response
  ) -> @Sendable (Request, Context) async throws -> Response {
    let deadlines = self.deadlines
    return { request, context in
      try await withThrowingTaskGroup(of: Response?.self) { group in
        group.addTask { try await handler(request, context) }
        group.addTask {
          await deadlines.wait()
          return nil
        }
        defer { group.cancelAll() }
        // The first to finish: the handler's response (or error), or nil from the deadline.
        guard let first = try await group.next(), let response = first else {
          return Self.tooSlow()
        }
        return response
      }
    }
  }

  /// 503 with `Retry-After`: the archive is there, this request took too long.
  static func tooSlow() -> Response {
    var response = WebResponses.error(
      .serviceUnavailable, "This request took longer than the archive allows one to take; try again later.")
    response.headers[.retryAfter] = "30"
    return response
  }
}
