import SourcekeepCore

/// `/digests/<name-or-date>`: the digest as the editor wrote it — entries in order, each
/// citation with its publisher, state, last status and archived copy — and a repair panel
/// with the Markdown `report --format markdown --digest` prints, ready to copy.
enum DigestPage {
  static func render(_ model: ReportModel, repair: String) -> String {
    var body: [String] = []
    for digest in model.digests {
      body.append("<h1>\(HTML.escape(digest.title ?? digest.name))</h1>")
      body.append("<p class=\"meta\">\(HTML.escape(digest.name)) · \(HTML.escape(digest.date))</p>")
      var rows: [(link: ReportModel.LinkRow, citation: ReportModel.CitationRow)] = []
      for link in model.links {
        for c in link.citations where c.digest == digest.name { rows.append((link, c)) }
      }
      rows.sort { $0.citation.position < $1.citation.position }
      var order: [Int?] = []
      for row in rows where !order.contains(row.citation.entryPosition) { order.append(row.citation.entryPosition) }
      order.sort { ($0 ?? Int.max) < ($1 ?? Int.max) }
      for position in order {
        let inEntry = rows.filter { $0.citation.entryPosition == position }
        let title = inEntry.first?.citation.entry ?? "(links outside any entry)"
        var entry = "<section class=\"entry\"><h3>\(HTML.escape(title))</h3>"
        for (link, citation) in inEntry { entry += cite(link, citation) }
        body.append(entry + "</section>")
      }
    }
    body.append("<h2>Repair</h2>")
    body.append(
      "<p class=\"note\">The digest's citations with their state and archived copies, as "
        + "<code>sourcekeep report --format markdown --digest</code> prints them: copy into the corrected digest.</p>")
    body.append("<textarea class=\"repair\" readonly aria-label=\"Repair Markdown\">\(HTML.escape(repair))</textarea>")
    let title = model.digests.first.map { $0.title ?? $0.name } ?? "Digest"
    return PageLayout.page(title: title, body.joined(separator: "\n"))
  }

  static func cite(_ link: ReportModel.LinkRow, _ citation: ReportModel.CitationRow) -> String {
    let name = citation.publisher ?? link.host
    let role = citation.role == .mention ? " <span class=\"note\">(mention)</span>" : ""
    return "<div class=\"cite\">\(PageLayout.badge(link.state)) \(HTML.link(link.url, text: name))\(role)"
      + "<div class=\"detail\"><span class=\"url\">\(HTML.escape(link.url))</span><br>"
      + "\(HTML.escape(link.statusText)) · \(HomePage.copyLink(link)) · "
      + HTML.local(WebPath.link(url: link.url), "history") + "</div></div>"
  }

  /// The repair part of the Markdown report: everything before its summary.
  static func repairText(_ markdown: String) -> String {
    guard let cut = markdown.range(of: "\n---\n") else { return markdown }
    return String(markdown[..<cut.lowerBound]) + "\n"
  }
}
