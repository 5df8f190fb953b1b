import SourcekeepCore

/// `/web/<timestamp>/<url>`: an archived copy under the archive's banner (the original URL,
/// the capture time, the link's state now, the other captures).
///
/// The copy itself is the capture's readable rendition (#15: structure and images, no script,
/// no style; its images point at `im_` addresses, see `ReadableEmbed`). A capture made before
/// renditions existed shows its main text as the catalog stored it, paragraph by paragraph,
/// every character escaped.
enum CopyPage {
  static func render(
    memento: Memento, all: [Memento], state: LinkState?, text: String?, rendition: String? = nil
  ) -> String {
    let ts = MementoTime.digits(memento.capturedAt)
    var banner = "<div class=\"banner\" role=\"note\"><b>Archived copy</b> of \(HTML.link(memento.url))"
    banner += "<br>captured \(PageLayout.time(memento.capturedAt))"
    banner += " · " + HTML.escape(memento.status + (memento.httpStatus.map { " · HTTP \($0)" } ?? ""))
    if memento.truncated { banner += " · truncated" }
    if let state { banner += " · the link now: \(PageLayout.badge(state))" }
    banner += "<br>" + HTML.local(WebPath.memento(ts, memento.url, modifier: "id_"), "original as archived")
    banner += " · " + HTML.local(WebPath.link(url: memento.url), "link history")
    banner += " · " + HTML.local(LinkPage.timemapPath(memento.url), "TimeMap")
    if all.count > 1 {
      let others = all.map { m -> String in
        let label = PageLayout.time(m.capturedAt)
        return m.snapshotID == memento.snapshotID
          ? "<b>\(label)</b>" : HTML.local(WebPath.memento(MementoTime.digits(m.capturedAt), m.url), label)
      }
      banner += "<div class=\"others\">\(all.count) captures: \(others.joined(separator: " · "))</div>"
    }
    banner += "</div>"

    if let rendition {
      return PageLayout.page(
        title: memento.title ?? memento.url,
        banner + "\n<article class=\"copy readable\" lang=\"zh-CN\">" + rendition + "</article>")
    }
    var article = "<article class=\"copy\" lang=\"zh-CN\">"
    article += "<h1>\(HTML.escape(memento.title ?? memento.url))</h1>"
    if let publisher = memento.publisher { article += "<p class=\"meta\">\(HTML.escape(publisher))</p>" }
    if let text, !text.isEmpty {
      for paragraph in text.components(separatedBy: "\n\n") {
        let trimmed = paragraph.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { continue }
        article += "<p>" + trimmed.split(separator: "\n").map(HTML.escape).joined(separator: "<br>") + "</p>"
      }
    } else {
      article +=
        "<p class=\"note\">No article text was extracted from this capture; the "
        + HTML.local(WebPath.memento(ts, memento.url, modifier: "id_"), "original response") + " is archived.</p>"
    }
    article += "</article>"
    return PageLayout.page(title: memento.title ?? memento.url, banner + "\n" + article)
  }
}
