public import Foundation

/// Submits newly cited URLs to the Internet Archive's Save Page Now (SPN2), so a public copy
/// exists besides the local one (`[fallback] save_page_now`, docs/design.md#save-page-now).
///
/// Runs after an ingest's captures, through the run's Fetcher (SSRF guard, politeness): at most
/// `perRun` submissions a run, spaced by `spacing`, newest citations first. A failure is
/// recorded (`spn_submission`) and journaled, and never touches the local capture. The keys
/// (`spn_keys_file`, one `ACCESS:SECRET` line) travel only in the `Authorization: LOW
/// access:secret` header: never in the journal, the catalog, logs or reports.
///
/// The request is `GET <endpoint><url>` with `Accept: application/json`, which SPN2 answers with
/// `{"url", "job_id"}` (the fetcher sends no POST bodies). The endpoint is
/// `https://web.archive.org/save/`, or `$SOURCEKEEP_SPN_ENDPOINT` (tests; not a config key).
public struct SavePageNow: Sendable {
  public static let defaultEndpoint = "https://web.archive.org/save/"
  public static let endpointVariable = "SOURCEKEEP_SPN_ENDPOINT"

  let catalog: Catalog
  let journal: Journal
  let fetcher: Fetcher
  let enabled: Bool
  let keysFile: String
  let endpoint: String
  let perRun: Int
  let spacing: Duration

  public init(
    catalog: Catalog, journal: Journal, fetcher: Fetcher, config: Config,
    environment: [String: String] = ProcessInfo.processInfo.environment, perRun: Int = 20,
    spacing: Duration = .seconds(3)
  ) {
    self.catalog = catalog
    self.journal = journal
    self.fetcher = fetcher
    self.enabled = config.fallback.savePageNow
    self.keysFile = config.fallback.spnKeysFile
    self.endpoint = environment[Self.endpointVariable].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultEndpoint
    self.perRun = perRun
    self.spacing = spacing
  }

  struct Keys {
    var access: String
    var secret: String
  }

  /// Reads the keys file; a problem is named without any of the file's content.
  func keys() -> Result<Keys, SPNKeysError> {
    guard !keysFile.isEmpty else {
      return .failure(SPNKeysError(message: "[fallback] save_page_now is on but spn_keys_file is empty"))
    }
    guard let text = try? String(contentsOfFile: keysFile, encoding: .utf8) else {
      return .failure(SPNKeysError(message: "spn_keys_file \(keysFile): cannot be read"))
    }
    let line = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
      .first { !$0.isEmpty && !$0.hasPrefix("#") }
    guard let line, let colon = line.firstIndex(of: ":"), colon != line.startIndex,
      line.index(after: colon) != line.endIndex
    else {
      return .failure(
        SPNKeysError(message: "spn_keys_file \(keysFile): expected one line ACCESS:SECRET (archive.org/account/s3.php)")
      )
    }
    return .success(Keys(access: String(line[..<colon]), secret: String(line[line.index(after: colon)...])))
  }

  /// Submits the links never submitted; returns how many were submitted and how many failed.
  @discardableResult
  public func run(now: Date = Date(), shouldStop: @escaping @Sendable () -> Bool = { false }) async -> (
    submitted: Int, failed: Int
  ) {
    guard enabled else { return (0, 0) }
    let keys: Keys
    switch self.keys() {
    case .success(let k): keys = k
    case .failure(let problem):
      journal.record("error", [("message", .string("Save Page Now skipped: \(problem.message)"))])
      return (0, 0)
    }
    let links: [(linkID: Int64, url: String)]
    do {
      links = try catalog.linksToSubmit(limit: perRun)
    } catch {
      journal.record("error", [("message", .string("Save Page Now: \(error)"))])
      return (0, 0)
    }
    var submitted = 0
    var failed = 0
    for (i, link) in links.enumerated() {
      if shouldStop() { break }
      if i > 0 { try? await Task.sleep(for: spacing) }
      let result = await fetcher.fetch(
        FetchRequest(
          url: endpoint + link.url,
          extraHeaders: [
            RequestHeader("Accept", "application/json"),
            RequestHeader("Authorization", "LOW \(keys.access):\(keys.secret)"),
          ], maxBodyBytes: 64 * 1024))
      var outcome = "error"
      var jobID: String?
      var detail: String?
      if let exchange = result.exchange, let status = result.httpStatus {
        let json = (try? JSONSerialization.jsonObject(with: Data(exchange.body))) as? [String: Any]
        jobID = json?["job_id"] as? String
        if (200..<300).contains(status), jobID != nil {
          outcome = "submitted"
        } else {
          detail = "HTTP \(status)" + ((json?["message"] as? String).map { ": " + $0 } ?? "")
        }
      } else {
        detail = FallbackLookup.failure(result)
      }
      // Whatever the server echoed, the keys never leave this function.
      detail = detail.map { Self.redacted($0, keys) }
      jobID = jobID.map { Self.redacted($0, keys) }
      try? catalog.recordSubmission(linkID: link.linkID, at: now, outcome: outcome, jobID: jobID, detail: detail)
      journal.record(
        "spn",
        [
          ("url", .string(link.url)), ("outcome", .string(outcome)), ("job_id", .optional(jobID)),
          ("detail", .optional(detail)),
        ])
      if outcome == "submitted" { submitted += 1 } else { failed += 1 }
    }
    return (submitted, failed)
  }

  static func redacted(_ text: String, _ keys: Keys) -> String {
    text.replacingOccurrences(of: keys.secret, with: "[secret]").replacingOccurrences(
      of: keys.access, with: "[access]")
  }
}

/// A missing or malformed `spn_keys_file` (the message never quotes the file).
public struct SPNKeysError: Error, Sendable {
  public var message: String
}
