import SourcekeepCore

/// `/links/<id>` and `/links?url=`: one link — its state and why, every check newest first,
/// the state changes, every capture with its time, size, title and similarity to the first,
/// and the digests citing it.
enum LinkPage {
  static func render(_ h: LinkHistory, changes: [StateChange]) -> String {
    let link = h.link
    var body: [String] = []
    body.append("<h1>\(PageLayout.badge(link.state)) \(HTML.escape(h.captures.last?.memento.title ?? link.host))</h1>")
    body.append("<p>\(HTML.link(link.url))</p>")
    var facts: [(String, String)] = [
      ("state", link.state.rawValue + (link.failureText.isEmpty ? "" : " · " + link.failureText)),
      ("last check", link.statusText + " · " + ReportTime.short(link.lastChecked ?? "–")),
      ("checks", "\(link.checks), \(link.consecutiveFailures) consecutive failures"),
      ("first seen", ReportTime.short(link.firstSeen)),
      ("last ok", link.lastOK.map(ReportTime.short) ?? "never"),
      ("next check", h.nextCheck.map(ReportTime.short) ?? "–"),
    ]
    if let final = link.finalURL, final != link.url { facts.append(("final URL", final)) }
    body.append(
      "<div class=\"scroll\"><table><tbody>"
        + facts.map { "<tr><th>\(HTML.escape($0.0))</th><td>\(HTML.escape($0.1))</td></tr>" }.joined()
        + "</tbody></table></div>")
    body.append("<p>\(HomePage.copyLink(link)) · " + HTML.local(timemapPath(link.url), "TimeMap") + "</p>")

    body.append("<h2>Cited in</h2>")
    body.append(
      PageLayout.table(
        ["digest", "entry", "publisher", "role"],
        link.citations.map {
          [
            HTML.local(WebPath.digest($0.digest), HTML.escape($0.digestDate + " · " + $0.digest)),
            HTML.escape($0.entry ?? "(no entry)"), HTML.escape($0.publisher ?? "-"), $0.role.rawValue,
          ]
        }))

    body.append("<h2>Captures (\(h.captures.count))</h2>")
    body.append(
      PageLayout.table(
        ["captured", "status", "title", "size", "similarity to first", "copy"],
        h.captures.reversed().map { c in
          let m = c.memento
          let ts = MementoTime.digits(m.capturedAt)
          return [
            PageLayout.time(m.capturedAt),
            HTML.escape(m.status + (m.httpStatus.map { " · HTTP \($0)" } ?? "") + (m.truncated ? " · truncated" : "")),
            HTML.escape(m.title ?? "–"),
            HTML.escape(size(m.location.length) + (c.textLength.map { " · \($0) chars of text" } ?? "")),
            c.similarity.map { "\(Int(($0 * 100).rounded()))%" } ?? "–",
            HTML.local(WebPath.memento(ts, m.url), "readable") + " · "
              + HTML.local(WebPath.memento(ts, m.url, modifier: "id_"), "original"),
          ]
        }))

    body.append("<h2>State changes</h2>")
    if changes.isEmpty {
      body.append("<p>No state change recorded.</p>")
    } else {
      body.append(
        PageLayout.table(
          ["when", "from", "to", "after"],
          changes.reversed().map {
            [
              PageLayout.time($0.at), PageLayout.badge($0.from), PageLayout.badge($0.to), HTML.escape($0.because),
            ]
          }))
    }

    body.append("<h2>Checks (\(h.checks.count))</h2>")
    // A check that got an archived payload again says which capture holds it: most re-checks of
    // an unchanged page write no record of their own (docs/design.md#revisits-on-re-check).
    var firstWithPayload: [String: String] = [:]
    for capture in h.captures where firstWithPayload[capture.memento.payloadDigest] == nil {
      firstWithPayload[capture.memento.payloadDigest] = capture.memento.capturedAt
    }
    body.append(
      PageLayout.table(
        ["checked", "status", "HTTP", "reason", "time", "payload", "final URL"],
        h.checks.map {
          [
            PageLayout.time($0.checkedAt), HTML.escape($0.status), $0.httpStatus.map(String.init) ?? "–",
            HTML.escape($0.reason ?? ""), $0.elapsedMs.map { "\($0) ms" } ?? "",
            Self.payload($0.payloadDigest, archivedAt: $0.payloadDigest.flatMap { firstWithPayload[$0] }),
            HTML.escape($0.finalURL ?? ""),
          ]
        }))
    return PageLayout.page(title: h.captures.last?.memento.title ?? link.url, body.joined(separator: "\n"))
  }

  /// A check's payload cell: the capture that archived the same bytes, or the digest's start.
  static func payload(_ digest: String?, archivedAt: String?) -> String {
    guard let digest else { return "–" }
    if let archivedAt { return "as captured " + PageLayout.time(archivedAt) }
    return "<span title=\"\(HTML.escape(digest))\">\(HTML.escape(String(digest.prefix(13))))…</span>"
  }

  static func timemapPath(_ url: String) -> String { "/web/timemap/link/" + WebPath.embedded(url) }

  /// `12.3 KB`: a record's size on disk.
  static func size(_ bytes: Int64) -> String {
    if bytes < 1024 { return "\(bytes) B" }
    if bytes < 1024 * 1024 { return String(Double(bytes / 102) / 10) + " KB" }
    return String(Double(bytes / (1024 * 102)) / 10) + " MB"
  }

  /// A move from one state to another, as the link's checks made it.
  struct StateChange {
    var at: String
    var from: LinkState
    var to: LinkState
    var because: String
  }

  /// The state changes, replayed from the checks (oldest first) through the state machine the
  /// checker uses (`[health]` as configured now): the catalog keeps checks, not transitions.
  static func changes(_ h: LinkHistory, machine: LinkStateMachine) -> [StateChange] {
    var memory = LinkStateMachine.Memory(state: .pending, consecutiveFailures: 0)
    var out: [StateChange] = []
    for check in h.checks.reversed() {
      guard let status = CheckStatus(rawValue: check.status), let at = Timestamp.parse(check.checkedAt) else {
        continue
      }
      let next = machine.next(memory, CheckVerdict(status: status, httpStatus: check.httpStatus), at: at)
      if next.state != memory.state {
        let why =
          check.status + (check.reason.map { " (\($0))" } ?? "") + (check.httpStatus.map { " · HTTP \($0)" } ?? "")
        out.append(StateChange(at: check.checkedAt, from: memory.state, to: next.state, because: why))
      }
      memory = next
    }
    return out
  }
}
