import SourcekeepCore

/// `/`: the health summary (the report's totals and state bars), the digests newest first
/// with alive/checked, and the links that need attention, worst first.
enum HomePage {
  /// Rows of the attention list shown before "and N more" (the report formats list all).
  static let attentionLimit = 200
  /// Digests listed, newest first (a year of daily digests is 365 rows; the reports list all).
  static let digestLimit = 100

  static func render(_ home: HomeSummary) -> String {
    var body: [String] = ["<h1>Archive health</h1>"]
    body.append(
      "<p class=\"totals\">"
        + [
          ("digests", home.digests), ("entries", home.entries), ("citations", home.citations), ("links", home.links),
        ].map { "<span><b>\($0.1)</b> \($0.0)</span>" }.joined() + "</p>")
    body.append(stateBars(home.byState, total: home.links))

    body.append("<h2>Digests</h2>")
    if home.newestDigests.isEmpty {
      body.append("<p>No digest has been read yet.</p>")
    } else {
      body.append(
        PageLayout.table(
          ["digest", "date", "links", "alive/checked", "share alive"],
          home.newestDigests.map {
            [
              HTML.local(WebPath.digest($0.digest), HTML.escape($0.digest)), HTML.escape($0.date), String($0.links),
              "\($0.alive)/\($0.checked)", RotCurve.percent($0.share),
            ]
          }))
      if home.digests > home.newestDigests.count {
        body.append(
          "<p class=\"note\">and \(home.digests - home.newestDigests.count) older digests: see "
            + "<a href=\"/report.md\">the full report</a>.</p>")
      }
    }

    let total = home.attentionTotal
    body.append("<h2>Needs attention (\(total) of \(home.links))</h2>")
    if total == 0 {
      body.append("<p>Every link is alive.</p>")
    } else {
      body.append(PageLayout.table(["state", "link", "last check", "archived copy"], home.attention.map(attentionRow)))
      if total > home.attention.count {
        body.append(
          "<p class=\"note\">and \(total - home.attention.count) more: see "
            + "<a href=\"/report.md\">the full report</a>.</p>")
      }
    }
    return PageLayout.page(title: "Archive health", body.joined(separator: "\n"))
  }

  static func attentionRow(_ link: ReportModel.LinkRow) -> [String] {
    let cited = link.citations.first.map { c in
      "<div class=\"note\">\(HTML.escape(c.publisher ?? "-")) · \(HTML.escape(c.entry ?? "(no entry)")) · "
        + HTML.local(WebPath.digest(c.digest), HTML.escape(c.digestDate)) + "</div>"
    }
    return [
      PageLayout.badge(link.state),
      HTML.local(WebPath.link(url: link.url), HTML.escape(link.url)) + (cited ?? ""),
      HTML.escape(link.statusText) + "<br>" + PageLayout.time(link.lastChecked),
      copyLink(link),
    ]
  }

  /// The archived copy that preserves what was cited, as a link into `/web/`, or "none".
  static func copyLink(_ link: ReportModel.LinkRow) -> String {
    guard let s = link.snapshot else { return "none" }
    return HTML.local(
      WebPath.memento(MementoTime.digits(s.capturedAt), link.url), "copy of " + PageLayout.time(s.capturedAt))
  }

  /// One bar split by state, with a legend of counts.
  static func stateBars(_ counts: [(LinkState, Int)], total: Int) -> String {
    guard total > 0 else { return "<p>No link yet.</p>" }
    let shown = counts.filter { $0.1 > 0 }
    // Widths come from classes (`widthCSS`): a `style` attribute would need 'unsafe-inline'
    // in the Content-Security-Policy.
    let bar = shown.map { state, n in
      "<span class=\"s-\(state.rawValue) w\(widthClass(n, total))\" title=\"\(state.rawValue): \(n)\"></span>"
    }.joined()
    let legend = shown.map { state, n in "<span>\(PageLayout.badge(state)) \(n)</span>" }.joined()
    return "<div class=\"bars\">\(bar)</div><p class=\"legend\">\(legend)</p>"
  }

  /// Width class in steps of 2 % (`w0` … `w50` → 0–100 %), at least one step for a state
  /// that has links.
  static func widthClass(_ n: Int, _ total: Int) -> Int {
    max(1, Int((Double(n) / Double(total) * 50).rounded()))
  }

  /// The width classes the stylesheet defines.
  static let widthCSS = (0...50).map { ".w\($0){width:\($0 * 2)%}" }.joined()
}
