import SourcekeepCore

/// `/search?q=`: the full-text search (`sourcekeep search`) with title, publisher, digest
/// dates, state and a snippet with the match marked, 20 results a page.
enum SearchPage {
  static let pageSize = 20
  /// Deepest result offered: each page re-runs the search up to its end.
  static let maxResults = 1000

  static func render(query: String, page: Int, hits: [SearchHit], states: [String: LinkState]) -> String {
    var body = ["<h1>Search</h1>"]
    let trimmed = query.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.isEmpty {
      body.append("<p>Type words or a substring (Chinese too) to search the archived articles.</p>")
      return PageLayout.page(title: "Search", body.joined(separator: "\n"))
    }
    let shown = Array(hits.prefix(pageSize))
    if shown.isEmpty {
      body.append("<p>No archived article contains “\(HTML.escape(trimmed))”.</p>")
    }
    for hit in shown {
      let ts = MementoTime.digits(hit.capturedAt)
      let state = states[hit.url].map(PageLayout.badge) ?? ""
      body.append(
        "<div class=\"hit\">\(state) "
          + HTML.local(WebPath.memento(ts, hit.url), HTML.escape(hit.title ?? "(untitled)"))
          + "<div class=\"note\">\(HTML.escape(hit.publisher ?? "-")) · digest "
          + hit.digestDates.map(HTML.escape).joined(separator: ", ") + " · captured " + PageLayout.time(hit.capturedAt)
          + " · " + HTML.local(WebPath.link(url: hit.url), "history") + "</div>"
          + "<div class=\"url note\">\(HTML.escape(hit.url))</div>"
          + "<div class=\"snippet\">\(marked(hit.snippet, query: trimmed))</div></div>")
    }
    var pager: [String] = []
    if page > 1 {
      pager.append(HTML.local("/search?q=\(WebPath.component(trimmed))&page=\(page - 1)", "← previous"))
    }
    if hits.count > pageSize && page * pageSize < maxResults {
      pager.append(HTML.local("/search?q=\(WebPath.component(trimmed))&page=\(page + 1)", "next →"))
    }
    if !pager.isEmpty { body.append("<p class=\"pager\">\(pager.joined())</p>") }
    return PageLayout.page(title: "Search: \(trimmed)", body.joined(separator: "\n"), query: trimmed)
  }

  /// The snippet escaped, its match (which the catalog brackets as `[match]`) in `<mark>`.
  static func marked(_ snippet: String, query: String) -> String {
    guard let r = snippet.range(of: "[" + query + "]", options: .caseInsensitive) else { return HTML.escape(snippet) }
    let inner = snippet.index(after: r.lowerBound)..<snippet.index(before: r.upperBound)
    return HTML.escape(snippet[..<r.lowerBound]) + "<mark>" + HTML.escape(snippet[inner]) + "</mark>"
      + HTML.escape(snippet[r.upperBound...])
  }
}
