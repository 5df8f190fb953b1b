public import Foundation

/// Asks the public archives about links sourcekeep never captured well (docs/design.md#fallback):
/// for a `failing`/`dead` link without an ok/redirected snapshot, the Wayback availability API
/// (`[fallback] wayback`) and/or a Memento TimeGate (`memento_timegate`), each for the copy
/// closest to the link's first citation, at most once per link per `recheck_interval`. Every
/// request goes through the run's Fetcher (SSRF guard, per-host politeness, timeouts, caps).
/// Answers are kept in the catalog (`fallback`) and journaled (`fallback` events).
public struct FallbackLookup: Sendable {
  let catalog: Catalog
  let journal: Journal
  let fetcher: Fetcher
  let config: FallbackConfig
  let interval: TimeInterval
  /// Answers larger than this are not archive answers (a TimeGate's memento page is cut here).
  static let maxAnswerBytes = 256 * 1024

  public init(catalog: Catalog, journal: Journal, fetcher: Fetcher, config: Config) {
    self.catalog = catalog
    self.journal = journal
    self.fetcher = fetcher
    self.config = config.fallback
    self.interval = TimeInterval(config.health.recheckInterval.seconds)
  }

  /// Whether any source is configured.
  public var enabled: Bool { config.wayback || !config.mementoTimegate.isEmpty }

  /// What one source said about one link.
  public struct Answer: Sendable, Equatable {
    public var outcome: String
    public var copy: PublicCopy?
    public var detail: String?
  }

  /// Asks about every candidate link; returns how many were asked and how many have a copy.
  @discardableResult
  public func run(now: Date = Date(), shouldStop: @escaping @Sendable () -> Bool = { false }) async -> (
    asked: Int, found: Int
  ) {
    guard enabled else { return (0, 0) }
    let candidates: [FallbackCandidate]
    do {
      candidates = try catalog.linksNeedingFallback(now: now, interval: interval)
    } catch {
      journal.record("error", [("message", .string("cannot list links for the public-archive lookup: \(error)"))])
      return (0, 0)
    }
    var asked = 0
    var found = 0
    for link in candidates {
      if shouldStop() { break }
      var any = false
      for (source, answer) in await ask(link) {
        do {
          try catalog.recordFallback(
            linkID: link.linkID, source: source, outcome: answer.outcome, copy: answer.copy, askedAt: now,
            detail: answer.detail)
        } catch {
          journal.record("error", [("url", .string(link.url)), ("message", .string("\(error)"))])
        }
        journal.record(
          "fallback",
          [
            ("url", .string(link.url)), ("source", .string(source)), ("outcome", .string(answer.outcome)),
            ("public_url", .optional(answer.copy?.url)), ("timestamp", .optional(answer.copy?.timestamp)),
            ("detail", .optional(answer.detail)),
          ])
        if answer.copy != nil { any = true }
      }
      asked += 1
      if any { found += 1 }
    }
    return (asked, found)
  }

  /// Both sources' answers for one link (the configured ones).
  func ask(_ link: FallbackCandidate) async -> [(String, Answer)] {
    var out: [(String, Answer)] = []
    if config.wayback { out.append(("wayback", await wayback(link))) }
    if !config.mementoTimegate.isEmpty { out.append(("memento", await memento(link))) }
    return out
  }

  /// `GET <endpoint>?url=…&timestamp=YYYYMMDD` → `archived_snapshots.closest`.
  func wayback(_ link: FallbackCandidate) async -> Answer {
    var address = config.waybackEndpoint + (config.waybackEndpoint.contains("?") ? "&" : "?")
    address += "url=" + Self.queryEscaped(link.url)
    if let day = link.firstCited { address += "&timestamp=" + day.filter(\.isNumber) }
    let result = await fetcher.fetch(FetchRequest(url: address, maxBodyBytes: Self.maxAnswerBytes))
    guard let exchange = result.exchange, let status = result.httpStatus else {
      return Answer(outcome: "error", copy: nil, detail: Self.failure(result))
    }
    guard (200..<300).contains(status) else {
      return Answer(outcome: "error", copy: nil, detail: "HTTP \(status) from the availability API")
    }
    guard let json = try? JSONSerialization.jsonObject(with: Data(exchange.body)) as? [String: Any] else {
      return Answer(outcome: "error", copy: nil, detail: "the availability API's answer is not JSON")
    }
    let closest = (json["archived_snapshots"] as? [String: Any])?["closest"] as? [String: Any]
    guard let closest, closest["available"] as? Bool == true, let url = closest["url"] as? String,
      Self.isWeb(url), (closest["status"] as? String).map({ $0.hasPrefix("2") }) ?? true
    else { return Answer(outcome: "none", copy: nil, detail: nil) }
    let timestamp = (closest["timestamp"] as? String).flatMap(Self.iso)
    return Answer(outcome: "found", copy: PublicCopy(source: "wayback", url: Self.https(url), timestamp: timestamp))
  }

  /// `GET <timegate><url>` with `Accept-Datetime`; the TimeGate redirects to the memento, which
  /// carries `Memento-Datetime` (RFC 7089 §4).
  func memento(_ link: FallbackCandidate) async -> Answer {
    let gate = config.mementoTimegate
    let address = gate + (gate.hasSuffix("/") ? "" : "/") + link.url
    var headers: [RequestHeader] = []
    if let day = link.firstCited, let date = Timestamp.parse(day + "T12:00:00Z") {
      headers.append(RequestHeader("Accept-Datetime", Self.httpDate(date)))
    }
    let result = await fetcher.fetch(
      FetchRequest(url: address, extraHeaders: headers, maxBodyBytes: Self.maxAnswerBytes))
    guard let exchange = result.exchange, let status = result.httpStatus else {
      return Answer(outcome: "error", copy: nil, detail: Self.failure(result))
    }
    if status == 404 { return Answer(outcome: "none", copy: nil, detail: nil) }
    guard (200..<300).contains(status) else {
      return Answer(outcome: "error", copy: nil, detail: "HTTP \(status) from the TimeGate")
    }
    let datetime = exchange.header("Memento-Datetime").flatMap(Self.parseHTTPDate)
    // A 200 without Memento-Datetime that is not a redirect target is not a memento.
    guard datetime != nil || result.finalURL != address, Self.isWeb(result.finalURL) else {
      return Answer(outcome: "none", copy: nil, detail: "the TimeGate answered without a memento")
    }
    return Answer(
      outcome: "found",
      copy: PublicCopy(source: "memento", url: result.finalURL, timestamp: datetime.map(WARCRecordBuilder.date)))
  }

  static func failure(_ result: FetchResult) -> String {
    var text = result.status.rawValue
    if let reason = result.reason { text += "/" + reason.rawValue }
    if let message = result.errorMessage { text += ": " + message }
    return text
  }

  static func isWeb(_ url: String) -> Bool {
    let lower = url.lowercased()
    return lower.hasPrefix("http://") || lower.hasPrefix("https://")
  }

  /// The availability API answers `http://web.archive.org/…`; the archive serves https.
  static func https(_ url: String) -> String {
    url.hasPrefix("http://web.archive.org/") ? "https://" + url.dropFirst(7) : url
  }

  /// `20130919044612` → `2013-09-19T04:46:12Z`.
  static func iso(_ digits: String) -> String? {
    let d = Array(digits.filter(\.isNumber))
    guard d.count >= 8 else { return nil }
    let padded = d + Array(repeating: Character("0"), count: max(0, 14 - d.count))
    func part(_ a: Int, _ b: Int) -> String { String(padded[a..<b]) }
    return "\(part(0, 4))-\(part(4, 6))-\(part(6, 8))T\(part(8, 10)):\(part(10, 12)):\(part(12, 14))Z"
  }

  static func queryEscaped(_ text: String) -> String {
    var allowed = CharacterSet.urlQueryAllowed
    allowed.remove(charactersIn: "&=+?#")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
  }

  static func httpDate(_ date: Date) -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "GMT")
    f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
    return f.string(from: date)
  }

  static func parseHTTPDate(_ text: String) -> Date? {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "GMT")
    f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
    return f.date(from: text.trimmingCharacters(in: .whitespaces))
  }
}
