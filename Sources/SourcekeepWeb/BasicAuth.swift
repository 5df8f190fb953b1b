import Foundation
import Hummingbird
import SourcekeepCore
import Synchronization

/// `[web] auth = "basic"`: HTTP basic authentication against bcrypt htpasswd entries
/// (docs/design.md#web-view). Every route but `/healthz` needs it.
///
/// - The password check is bcrypt's (slow by design) and the final comparison is constant
///   time (`Htpasswd.verify`).
/// - Failures are rate-limited per client address (`FailureLimiter`): past the limit the
///   answer is 429 with `Retry-After`, without running bcrypt, so guessing is slow and cannot
///   be used to load the CPU.
/// - A verified `Authorization` value is remembered (its SHA-256, for five minutes), so a
///   browser's every request does not cost a bcrypt run.
struct BasicAuthMiddleware: RouterMiddleware {
  typealias Context = WebRequestContext
  let htpasswd: Htpasswd
  let limiter: FailureLimiter
  let verified = VerifiedCredentials()

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    if request.uri.path == "/healthz" { return try await next(request, context) }
    let client = context.clientAddress ?? "unknown"
    let now = Date()
    if let wait = limiter.blocked(client, now: now) {
      var response = WebResponses.error(.tooManyRequests, "Too many failed sign-ins from this address; try later.")
      response.headers[.retryAfter] = String(Int(wait.rounded(.up)))
      return response
    }
    if let value = request.headers[.authorization], credentialsHold(value, now: now) {
      return try await next(request, context)
    }
    if request.headers[.authorization] != nil { limiter.failed(client, now: now) }
    var response = WebResponses.error(.unauthorized, "This archive asks for a user name and password.")
    response.headers[.wwwAuthenticate] = "Basic realm=\"sourcekeep\", charset=\"UTF-8\""
    return response
  }

  func credentialsHold(_ header: String, now: Date) -> Bool {
    let key = SHA256.hex(Array(header.utf8))
    if verified.contains(key, now: now) { return true }
    guard header.count < 1024, header.lowercased().hasPrefix("basic "),
      let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
      let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
    else { return false }
    let ok = htpasswd.verify(user: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
    if ok { verified.insert(key, now: now) }
    return ok
  }
}

/// Failed sign-ins per client address: after `limit` failures within `window` seconds, the
/// address waits until the oldest of them is `window` old.
final class FailureLimiter: Sendable {
  let limit: Int
  let window: TimeInterval
  private let failures = Mutex<[String: [Date]]>([:])

  init(limit: Int = 10, window: TimeInterval = 300) {
    self.limit = limit
    self.window = window
  }

  /// Seconds `client` must wait, or nil when it may try.
  func blocked(_ client: String, now: Date) -> TimeInterval? {
    failures.withLock { all in
      let recent = (all[client] ?? []).filter { now.timeIntervalSince($0) < window }
      all[client] = recent.isEmpty ? nil : recent
      guard recent.count >= limit, let oldest = recent.first else { return nil }
      return window - now.timeIntervalSince(oldest)
    }
  }

  func failed(_ client: String, now: Date) {
    failures.withLock { all in
      // Bounded memory: an address flood forgets the oldest addresses first.
      if all.count > 10_000 { all.removeAll() }
      all[client, default: []].append(now)
    }
  }
}

/// SHA-256 of `Authorization` values that passed, each valid for five minutes.
final class VerifiedCredentials: Sendable {
  private let seen = Mutex<[String: Date]>([:])
  static let lifetime: TimeInterval = 300

  func contains(_ key: String, now: Date) -> Bool {
    seen.withLock { $0[key].map { now.timeIntervalSince($0) < Self.lifetime } ?? false }
  }

  func insert(_ key: String, now: Date) {
    seen.withLock { all in
      if all.count > 1000 { all = all.filter { now.timeIntervalSince($0.value) < Self.lifetime } }
      all[key] = now
    }
  }
}
