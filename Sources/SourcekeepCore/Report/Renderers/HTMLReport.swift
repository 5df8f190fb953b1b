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
    let rot = RotCurve(model)
    let generated = ReportTime.short(Timestamp.string(model.generatedAt))
    var body: [String] = []
    body.append("<h1>sourcekeep link-health report</h1>")
    var meta = ["generated \(escape(generated))"]
    if let d = model.filter.digest { meta.append("digest filter <code>\(escape(d))</code>") }
    if !model.filter.states.isEmpty {
      meta.append("state filter \(escape(model.filter.states.map(\.rawValue).joined(separator: ", ")))")
    }
    body.append("<p class=\"meta\">\(meta.joined(separator: " · "))</p>")
    body.append(
      "<p class=\"totals\">"
        + [
          ("digests", model.digests.count), ("entries", model.entries), ("citations", model.citationCount),
          ("links", model.links.count),
        ].map { "<span><b>\($0.1)</b> \($0.0)</span>" }.joined() + "</p>")

    body.append("<section><h2>Links by state</h2>")
    body.append(SVGChart.stateBars(model.byState.filter { $0.1 > 0 || $0.0 == .alive || $0.0 == .dead }))
    body.append(
      table(
        ["last status", "links"], model.byStatus.filter { $0.1 > 0 }.map { [escape($0.0.rawValue), String($0.1)] },
        numeric: [1]))
    body.append("</section>")

    let attention = model.attention
    body.append("<section><h2>Needs attention (\(attention.count) of \(model.links.count))</h2>")
    if attention.isEmpty {
      body.append("<p>Every link is alive.</p>")
    } else {
      body.append(
        table(
          ["state", "link and citations", "status", "first failure", "dead since", "archived copy"],
          attention.map { row($0, storageDir: model.storageDir) }, cards: true))
    }
    body.append("</section>")

    body.append("<section><h2>Rot over time</h2>")
    body.append(SVGChart.survival(rot.buckets))
    body.append("<p class=\"note\">\(escape(RotCurve.definition))</p>")
    body.append(
      table(
        ["age", "links", "alive", "cited ≥ age: alive/checked", "share alive"],
        rot.buckets.map {
          [
            escape($0.label), String($0.links), String($0.alive), "\($0.aliveAtLeast)/\($0.linksAtLeast)",
            RotCurve.percent($0.survival),
          ]
        }, numeric: [1, 2, 3, 4]))
    body.append("<h3>Per digest</h3>")
    body.append(
      table(
        ["digest", "date", "links", "alive/checked", "share alive"],
        rot.digests.map {
          [escape($0.digest), $0.date, String($0.links), "\($0.alive)/\($0.checked)", RotCurve.percent($0.share)]
        }, numeric: [2, 3, 4]))
    body.append("</section>")

    body.append("<section><h2>Publishers</h2>")
    body.append(SVGChart.publisherBars(model.publishers.map { ($0.publisher, $0.links) }))
    body.append(legend())
    body.append(groupTable("publisher", model.publishers.map { ($0.publisher, $0.links) }))
    body.append("</section>")
    body.append("<section><h2>Domains</h2>")
    body.append(groupTable("domain", model.domains.map { ($0.domain, $0.links) }))
    body.append("</section>")

    return """
      <!DOCTYPE html>
      <html lang="zh-CN">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>sourcekeep report \(escape(generated))</title>
      <style>\(css)</style>
      </head>
      <body>
      \(body.joined(separator: "\n"))
      </body>
      </html>

      """
  }

  private static func row(_ l: ReportModel.LinkRow, storageDir: String?) -> [String] {
    let citations = l.citations.map { c in
      "<div class=\"cite\">\(escape(c.digestDate)) · \(escape(c.publisher ?? "-")) · \(escape(c.entry ?? "(no entry)"))</div>"
    }.joined()
    let text = escape(l.url)
    let link = (WebLink.isWeb(l.url) ? "<a href=\"\(text)\">\(text)</a>" : "<span>\(text)</span>") + citations
    let archive: String
    if let s = l.snapshot {
      archive =
        "\(escape(ReportTime.short(s.capturedAt)))<br><a href=\"\(escape(s.fileLink(storageDir: storageDir)))\">"
        + "<code>\(escape(s.pointer))</code></a>" + (s.truncated ? " (truncated)" : "")
    } else {
      archive = "none"
    }
    return [
      badge(l.state), link, escape(l.statusText), escape(l.firstFailure.map(ReportTime.short) ?? ""),
      escape(l.deadSince.map(ReportTime.short) ?? ""), archive,
    ]
  }

  private static func badge(_ state: LinkState) -> String {
    "<span class=\"badge\" style=\"background:\(SVGChart.colour(state))\">\(state.rawValue)</span>"
  }

  private static func legend() -> String {
    "<p class=\"legend\">"
      + LinkState.allCases.map { "<span><i style=\"background:\(SVGChart.colour($0))\"></i>\($0.rawValue)</span>" }
      .joined() + "</p>"
  }

  private static func groupTable(_ title: String, _ groups: [(String, [ReportModel.LinkRow])]) -> String {
    let shown: [LinkState] = [.alive, .pending, .drifted, .failing, .dead, .unknown]
    return table(
      [title, "links"] + shown.map(\.rawValue),
      groups.map { name, links in
        [escape(name), String(links.count)] + shown.map { s in String(links.filter { $0.state == s }.count) }
      }, numeric: Array(1...(shown.count + 1)))
  }

  /// A table in a scrolling box; cells are already-escaped HTML.
  ///
  /// With `cards`, a narrow screen shows each row as a card (one labelled line per cell)
  /// instead of a wide table: the attention list has six columns, too many for a phone.
  private static func table(_ header: [String], _ rows: [[String]], numeric: [Int] = [], cards: Bool = false)
    -> String
  {
    var out = "<div class=\"scroll\"><table\(cards ? " class=\"cards\"" : "")><thead><tr>"
    for (i, h) in header.enumerated() { out += "<th\(numeric.contains(i) ? " class=\"n\"" : "")>\(escape(h))</th>" }
    out += "</tr></thead><tbody>"
    for row in rows {
      out += "<tr>"
      for (i, cell) in row.enumerated() {
        let label = cards && i < header.count ? " data-label=\"\(escape(header[i]))\"" : ""
        out += "<td\(numeric.contains(i) ? " class=\"n\"" : "")\(label)>\(cell)</td>"
      }
      out += "</tr>"
    }
    return out + "</tbody></table></div>"
  }

  /// Text for HTML content and attribute values.
  static func escape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for ch in s {
      switch ch {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(ch)
      }
    }
    return out
  }

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
