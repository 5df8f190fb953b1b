import ArgumentParser
import Foundation
import SourcekeepApp
import SourcekeepCore

/// `sourcekeep probe URL [--json]` (docs/design.md#probe): fetch once, classify, store nothing.
struct ProbeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "probe",
    abstract: "Fetch one URL with the configured policy, classify it and show the redirect chain.")

  @OptionGroup var common: CommonOptions

  @Argument(help: "The URL to fetch.")
  var url: String?

  @Flag(help: "Print the probe result as JSON (contract schema).")
  var json = false

  /// `host.name/path` or `host:port/path`: a web address typed without `http://`. (`mailto:x`
  /// has a scheme: what follows its colon is not a port.)
  static func lacksScheme(_ url: String) -> Bool {
    guard !url.contains("://"), let first = url.split(separator: "/").first else { return false }
    if let colon = first.firstIndex(of: ":") {
      return first[first.index(after: colon)...].first?.isNumber == true
    }
    return first.contains(".")
  }

  func validate() throws {
    guard let url else {
      throw ValidationError("Missing the URL to probe, e.g. sourcekeep probe https://example.com/article")
    }
    // `probe 127.0.0.2:8000/x` or `probe example.com/a`: a scheme is missing, not a policy.
    if Self.lacksScheme(url) {
      throw ValidationError("\(url) has no scheme: did you mean http://\(url) or https://\(url)?")
    }
  }

  func run() async throws {
    let config = try CommandContext.load(common).config
    let fetcher: Fetcher
    do {
      fetcher = try Fetcher.configured(config.fetch, label: "sourcekeep.probe")
    } catch {
      printError(error.message)
      throw ExitCode.config
    }
    let result = await fetcher.fetch(FetchRequest(url: url!))
    await fetcher.shutdown()
    let evaluation = CheckEvaluation(result, driftThreshold: config.health.driftThreshold)
    let report = ProbeReport(result, evaluation)
    if json {
      print(report.jsonString())
    } else {
      print(TerminalText.clean(report.humanText(result)))
    }
  }
}

/// The probe contract (docs/design.md#probe).
struct ProbeReport {
  var url: String
  var finalURL: String
  var status: String
  var reason: String?
  var httpStatus: Int?
  var hops: [Hop]
  var contentType: String?
  var bytes: Int
  var elapsedMs: Double
  var title: String?
  var soft404: Soft404?
  var evidence: String?

  /// The probe's verdict is the classifier's (page signals included), as a check would record.
  init(_ r: FetchResult, _ evaluation: CheckEvaluation) {
    url = r.request.url
    finalURL = r.finalURL
    status = evaluation.classification.status.rawValue
    reason = evaluation.classification.reason?.rawValue
    soft404 = evaluation.page?.soft404
    evidence = evaluation.classification.evidence
    httpStatus = r.httpStatus
    hops = r.hops
    contentType = r.contentType
    bytes = r.exchange?.body.count ?? 0
    elapsedMs = r.elapsedMs
    title = evaluation.page?.title
  }

  /// The probe contract object, keys in the contract's order (the project's ordered JSON).
  func jsonString() -> String {
    JSONValue.object([
      ("url", .string(url)), ("final_url", .string(finalURL)), ("status", .string(status)),
      ("reason", .optional(reason)), ("http_status", .optional(httpStatus)),
      (
        "hops",
        .array(
          hops.map {
            .object([
              ("url", .string($0.url)), ("http_status", .optional($0.httpStatus)), ("location", .optional($0.location)),
            ])
          })
      ),
      ("content_type", .optional(contentType)), ("bytes", .int(Int64(bytes))),
      ("elapsed_ms", .int(Int64(elapsedMs.rounded()))), ("title", .optional(title)),
      (
        "soft404",
        soft404.map { .object([("reason", .string($0.reason.rawValue)), ("evidence", .string($0.evidence))]) } ?? .null
      ),
    ]).compact
  }

  func humanText(_ r: FetchResult) -> String {
    var lines: [String] = []
    let http = httpStatus.map { " (HTTP \($0))" } ?? ""
    lines.append("URL        \(url)")
    lines.append("Status     \(status)\(reason.map { "/" + $0 } ?? "")\(http)")
    if finalURL != url { lines.append("Final URL  \(finalURL)") }
    if let message = r.errorMessage { lines.append("Error      \(message)") }
    if hops.count > 1 || hops.first?.location != nil {
      lines.append("Redirects")
      for hop in hops {
        lines.append("  \(hop.httpStatus.map(String.init) ?? "---") \(hop.url)\(hop.location.map { " → " + $0 } ?? "")")
      }
    }
    if let ex = r.exchange {
      lines.append("Type       \(contentType ?? "-")")
      let size = bytes < 1024 ? "" : " (\(ByteSize.forPeople(bytes)))"
      lines.append("Bytes      \(bytes)\(size)\(ex.truncated ? " (truncated at fetch.max_body_mb)" : "")")
      if let ip = ex.remoteIP { lines.append("Remote     \(ip):\(ex.remotePort)") }
      let t = ex.timings
      lines.append(
        String(
          format: "Timing     dns %.1f ms · connect %.1f ms · tls %.1f ms · first byte %.1f ms · total %.1f ms",
          t.dnsMs, t.connectMs, t.tlsMs, t.firstByteMs, t.totalMs))
    }
    lines.append(
      "Elapsed    \(Int(elapsedMs.rounded())) ms, \(r.attempts.count) attempt\(r.attempts.count == 1 ? "" : "s")")
    lines.append("Title      \(title ?? "-")")
    if let evidence { lines.append("Evidence   \(evidence)") }
    if let ex = r.exchange {
      lines.append("Response headers")
      lines.append("  \(ex.statusLine)")
      for h in ex.headers { lines.append("  \(h.name): \(h.value)") }
    }
    return lines.joined(separator: "\n")
  }
}
