import Foundation

/// `report --format html`: one self-contained file — inline CSS, inline SVG charts, no
/// scripts, fonts or images from anywhere — with the summary, three charts (links by state,
/// the survival curve, per-publisher bars) and the tables.
///
/// Why self-contained: the editor mails it or opens it on a phone; nothing may break when
/// offline, and nothing phones home. The only URLs are the cited links themselves and the
/// `file://` pointers to archived copies. Readable on a phone: a viewport meta, one column,
/// and every table in a horizontally scrolling box.
public enum HTMLReport {
  public static func render(_ model: ReportModel) -> String {
    let out = ReportOutput.memory()
    write(model, to: out)
    return out.text
  }

  /// Writes the page; the attention table's rows are written as the links are read.
  public static func write<Input: ReportInput>(_ input: Input, to out: ReportOutput) throws(Input.Failure) {
    let summary = input.summary
    let rot = summary.rot
    let generated = ReportTime.short(Timestamp.string(input.generatedAt))
    out.write(
      """
      <!DOCTYPE html>
      <html lang="zh-CN">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>sourcekeep report \(escape(generated))</title>
      <style>\(css)</style>
      </head>
      <body>

      """)
    // The body's parts, one per line.
    var separator = ""
    func body(_ part: String) {
      out.write(separator + part)
      separator = "\n"
    }
    body("<h1>sourcekeep link-health report</h1>")
    var meta = ["generated \(escape(generated))"]
    if let d = input.filter.digest { meta.append("digest filter <code>\(escape(d))</code>") }
    if !input.filter.states.isEmpty {
      meta.append("state filter \(escape(input.filter.states.map(\.rawValue).joined(separator: ", ")))")
    }
    body("<p class=\"meta\">\(meta.joined(separator: " · "))</p>")
    if !summary.missingDigests.isEmpty {
      body(
        "<p class=\"note\">No longer on disk: \(escape(summary.missingDigests.joined(separator: ", "))). Their links "
          + "are still checked; <code>sourcekeep forget --digest NAME</code> stops that (archived copies are kept).</p>"
      )
    }
    body(
      "<p class=\"totals\">"
        + [
          ("digests", summary.digests.count), ("entries", summary.entries), ("citations", summary.citations),
          ("links", summary.links),
        ].map { "<span><b>\($0.1)</b> \($0.0)</span>" }.joined() + "</p>")

    body("<section><h2>Links by state</h2>")
    body(SVGChart.stateBars(summary.byState.filter { $0.1 > 0 || $0.0 == .alive || $0.0 == .dead }))
    body(
      table(
        ["last status", "links"], summary.byStatus.filter { $0.1 > 0 }.map { [escape($0.0.rawValue), String($0.1)] },
        numeric: [1]))
    body("</section>")

    body("<section><h2>Needs attention (\(summary.attention) of \(summary.links))</h2>")
    if summary.attention == 0 {
      body("<p>Every link is alive.</p>")
    } else {
      let header = ["state", "link and citations", "status", "first failure", "dead since", "archived copy"]
      body(tableHead(header, numeric: [], cards: true))
      try input.forEachAttentionLink { link in
        out.write(
          tableRow(
            row(link, storageDir: input.storageDir, publicURL: input.publicURL), header: header, numeric: [],
            cards: true))
      }
      out.write(tableFoot)
    }
    body("</section>")

    // `--state alive`: alive links are never in the attention list, so they get their own table
    // (docs/design.md#text-report).
    if input.filter.states.contains(.alive) {
      let alive = summary.byState.first { $0.0 == .alive }?.1 ?? 0
      body("<section><h2>Alive (\(alive) of \(summary.links))</h2>")
      if alive == 0 {
        body("<p>No link is alive.</p>")
      } else {
        let header = ["state", "link and citations", "status", "first failure", "dead since", "archived copy"]
        body(tableHead(header, numeric: [], cards: true))
        try input.forEachLink { link in
          guard link.state == .alive else { return }
          out.write(
            tableRow(
              row(link, storageDir: input.storageDir, publicURL: input.publicURL), header: header, numeric: [],
              cards: true))
        }
        out.write(tableFoot)
      }
      body("</section>")
    }

    body("<section><h2>Rot over time</h2>")
    body(SVGChart.survival(rot.buckets))
    body("<p class=\"note\">\(escape(RotCurve.definition))</p>")
    body(
      table(
        ["age", "links", "alive", "cited ≥ age: alive/checked", "share alive"],
        rot.buckets.map {
          [
            escape($0.label), String($0.links), String($0.alive), "\($0.aliveAtLeast)/\($0.linksAtLeast)",
            RotCurve.percent($0.survival),
          ]
        }, numeric: [1, 2, 3, 4]))
    body("<h3>Per digest</h3>")
    body(
      table(
        ["digest", "date", "links", "alive/checked", "share alive"],
        rot.digests.map {
          [escape($0.digest), $0.date, String($0.links), "\($0.alive)/\($0.checked)", RotCurve.percent($0.share)]
        }, numeric: [2, 3, 4]))
    body("</section>")

    body("<section><h2>Publishers</h2>")
    body(SVGChart.publisherBars(summary.publishers))
    body(legend())
    body(groupTable("publisher", summary.publishers))
    body("</section>")
    body("<section><h2>Domains</h2>")
    body(groupTable("domain", summary.domains))
    body("</section>")
    out.write("\n</body>\n</html>\n")
  }

  private static func row(_ l: ReportModel.LinkRow, storageDir: String?, publicURL: String?) -> [String] {
    let citations = l.citations.map { c in
      "<div class=\"cite\">\(escape(c.digestDate)) · \(escape(c.publisher ?? "-")) · \(escape(c.entry ?? "(no entry)"))</div>"
    }.joined()
    let text = escape(l.url)
    let web = l.snapshot.flatMap { $0.webURL(publicURL: publicURL, original: l.url) }
    // With a web view, the original link carries Robust Links attributes naming its copy.
    let robust = web.map { l.snapshot!.robustLinkAttributes(original: l.url, web: $0, toCopy: false) } ?? ""
    let link =
      (WebLink.isWeb(l.url) ? "<a href=\"\(text)\"\(robust)>\(text)</a>" : "<span>\(text)</span>") + citations
    let archive: String
    if let s = l.snapshot, let web {
      archive =
        "\(escape(ReportTime.short(s.capturedAt)))<br><a href=\"\(escape(web))\""
        + "\(s.robustLinkAttributes(original: l.url, web: web, toCopy: true))><code>\(escape(web))</code></a>"
        + (s.truncated ? " (truncated)" : "") + showCode(l.url)
    } else if let s = l.snapshot {
      archive =
        "\(escape(ReportTime.short(s.capturedAt)))<br><a href=\"\(escape(s.fileLink(storageDir: storageDir)))\">"
        + "<code>\(escape(s.pointer))</code></a>" + (s.truncated ? " (truncated)" : "") + showCode(l.url)
    } else {
      archive = "none"
    }
    return [
      badge(l.state), link, escape(l.statusText), escape(l.firstFailure.map(ReportTime.short) ?? ""),
      escape(l.deadSince.map(ReportTime.short) ?? ""), archive,
    ]
  }

  /// The command that opens the copy offline, as a line of code under the pointer.
  private static func showCode(_ url: String) -> String {
    "<br><code>\(escape(ReportModel.SnapshotRow.showCommand(url)))</code>"
  }

  private static func badge(_ state: LinkState) -> String {
    "<span class=\"badge\" style=\"background:\(SVGChart.colour(state))\">\(state.rawValue)</span>"
  }

  private static func legend() -> String {
    "<p class=\"legend\">"
      + LinkState.allCases.map { "<span><i style=\"background:\(SVGChart.colour($0))\"></i>\($0.rawValue)</span>" }
      .joined() + "</p>"
  }

  private static func groupTable(_ title: String, _ groups: [ReportGroup]) -> String {
    let shown: [LinkState] = [.alive, .pending, .drifted, .failing, .dead, .unknown]
    return table(
      [title, "links"] + shown.map(\.rawValue),
      groups.map { group in
        [escape(group.name), String(group.links)] + shown.map { s in String(group.count(s)) }
      }, numeric: Array(1...(shown.count + 1)))
  }

  /// A table in a scrolling box; cells are already-escaped HTML.
  ///
  /// With `cards`, a narrow screen shows each row as a card (one labelled line per cell)
  /// instead of a wide table: the attention list has six columns, too many for a phone.
  private static func table(_ header: [String], _ rows: [[String]], numeric: [Int] = [], cards: Bool = false)
    -> String
  {
    tableHead(header, numeric: numeric, cards: cards)
      + rows.map { tableRow($0, header: header, numeric: numeric, cards: cards) }.joined() + tableFoot
  }

  private static func tableHead(_ header: [String], numeric: [Int], cards: Bool) -> String {
    var out = "<div class=\"scroll\"><table\(cards ? " class=\"cards\"" : "")><thead><tr>"
    for (i, h) in header.enumerated() { out += "<th\(numeric.contains(i) ? " class=\"n\"" : "")>\(escape(h))</th>" }
    return out + "</tr></thead><tbody>"
  }

  private static func tableRow(_ row: [String], header: [String], numeric: [Int], cards: Bool) -> String {
    var out = "<tr>"
    for (i, cell) in row.enumerated() {
      let label = cards && i < header.count ? " data-label=\"\(escape(header[i]))\"" : ""
      out += "<td\(numeric.contains(i) ? " class=\"n\"" : "")\(label)>\(cell)</td>"
    }
    return out + "</tr>"
  }

  private static let tableFoot = "</tbody></table></div>"

  /// Text for HTML content and attribute values (the shared escaper, `HTMLText`).
  static func escape(_ s: String) -> String { HTMLText.escape(s) }

  private static let css = """
    body{font-family:-apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0 auto;max-width:60rem;\
    padding:0.75rem;color:#222;line-height:1.45}
    h1{font-size:1.35rem;margin:0.3rem 0}h2{font-size:1.1rem;border-bottom:1px solid #ddd;margin-top:1.4rem}
    h3{font-size:1rem}.meta,.note{color:#666;font-size:0.85rem}
    .totals span{display:inline-block;margin-right:1rem}.totals b{font-size:1.3rem}
    .scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:0.5rem 0}
    table{border-collapse:collapse;font-size:0.85rem;min-width:100%}
    th,td{border-bottom:1px solid #eee;padding:0.3rem 0.45rem;text-align:left;vertical-align:top}
    th{background:#f5f5f5}td.n,th.n{text-align:right}
    td a{word-break:break-all}.cite{color:#555;font-size:0.8rem;margin-top:0.2rem}
    code{font-size:0.78rem;word-break:break-all}
    .badge{color:#fff;border-radius:0.6rem;padding:0.05rem 0.5rem;font-size:0.78rem;white-space:nowrap}
    .legend span{margin-right:0.8rem;font-size:0.8rem;white-space:nowrap}
    .legend i{display:inline-block;width:0.8rem;height:0.8rem;margin-right:0.25rem;vertical-align:middle}
    svg{display:block;margin:0.5rem 0;height:auto}
    @media (max-width:600px){body{padding:0.5rem}th,td{padding:0.25rem 0.3rem}
    table.cards thead{display:none}table.cards tr{display:block;border-bottom:2px solid #ddd;padding:0.4rem 0}
    table.cards td{display:block;border:0;padding:0.1rem 0}
    table.cards td[data-label]:not(:empty)::before{content:attr(data-label) ": ";color:#777;font-size:0.75rem}}
    """
}
