/// The outcome of one fetch of a link (docs/design.md#check-status, a contract).
///
/// Raw values are exactly the strings of the contract table: reports, the journal and the
/// catalog store them as they are, and tools outside sourcekeep read them.
public enum CheckStatus: String, Codable, CaseIterable, Sendable, Comparable {
  /// 2xx or 304: the article is there.
  case ok
  /// Reached a real page at another URL (not just http→https, `www.` or a trailing slash).
  case redirected
  /// 2xx, but the page says the content is gone (see `CheckReason`).
  case soft404 = "soft-404"
  /// 2xx, but the main text no longer matches the first snapshot.
  case drifted
  /// 404 or 410.
  case gone
  /// 401, 403 or 451.
  case forbidden
  /// 429.
  case rateLimited = "rate-limited"
  /// 5xx.
  case serverError = "server-error"
  /// A bot wall or verification page: inconclusive.
  case blocked
  /// No HTTP answer (see `CheckReason`).
  case unreachable
  /// Not fetched, by policy (see `CheckReason`).
  case excluded

  public static func < (lhs: CheckStatus, rhs: CheckStatus) -> Bool {
    allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
  }
}

/// Why a check ended in `soft-404`, `blocked`, `unreachable` or `excluded` (docs/design.md#check-status,
/// contract).
public enum CheckReason: String, Codable, CaseIterable, Sendable {
  // soft-404
  case deleted, violation, complaints, migrated, expired
  case notFound = "not-found"
  case redirectToHome = "redirect-to-home"
  // unreachable
  case dns, refused, timeout, tls, reset
  case redirectLoop = "redirect-loop"
  case `protocol`
  // blocked: another 4xx (400, 405, 406, 418, 422, …), which bot walls answer
  case clientError = "client-error"
  // excluded
  case privateNetwork = "private-network"
  case scheme, pattern
}
