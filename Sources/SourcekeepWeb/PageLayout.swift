import SourcekeepCore

/// The frame every HTML page of the web view shares: one column that reads on a phone and a
/// desktop, the site's stylesheet from `/static/site.css` (so the Content-Security-Policy
/// needs no inline style and allows no script at all), a header with search.
enum PageLayout {
  static func page(title: String, _ body: String, query: String = "") -> String {
    """
    <!DOCTYPE html>
    <html lang="zh-CN">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="referrer" content="no-referrer">
    <title>\(HTML.escape(title)) · sourcekeep</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="/static/site.css">
    </head>
    <body>
    <header class="top"><a class="home" href="/">sourcekeep</a>
    <form action="/search" method="get" role="search"><input type="search" name="q" value="\(HTML.escape(query))" \
    placeholder="Search archived articles" aria-label="Search archived articles"><button>Search</button></form></header>
    <main>
    \(body)
    </main>
    <footer>sourcekeep \(HTML.escape(SourcekeepVersion.string)) · <a href="/report.md">report.md</a> · \
    <a href="/report.json">report.json</a> · <a href="/report.csv">report.csv</a> · <a href="/metrics">metrics</a></footer>
    </body>
    </html>

    """
  }

  /// A state as a coloured label (`dead`, `alive`, …).
  static func badge(_ state: LinkState) -> String {
    "<span class=\"badge s-\(state.rawValue)\">\(state.rawValue)</span>"
  }

  /// `2026-02-17 08:00 UTC` from a catalog time.
  static func time(_ timestamp: String?) -> String {
    HTML.escape(timestamp.map(ReportTime.short) ?? "–")
  }

  /// A table whose cells are already-escaped HTML; `cards` turns rows into labelled cards
  /// on a narrow screen.
  static func table(_ header: [String], _ rows: [[String]], cards: Bool = true) -> String {
    var out = "<div class=\"scroll\"><table\(cards ? " class=\"cards\"" : "")><thead><tr>"
    for h in header { out += "<th>\(HTML.escape(h))</th>" }
    out += "</tr></thead><tbody>"
    for row in rows {
      out += "<tr>"
      for (i, cell) in row.enumerated() {
        let label = i < header.count ? " data-label=\"\(HTML.escape(header[i]))\"" : ""
        out += "<td\(label)>\(cell)</td>"
      }
      out += "</tr>"
    }
    return out + "</tbody></table></div>"
  }

  static let css = """
    :root{color-scheme:light}
    body{font-family:-apple-system,"PingFang SC","Hiragino Sans GB","Noto Sans CJK SC","Microsoft YaHei",sans-serif;\
    margin:0;color:#222;line-height:1.5;background:#fafafa}
    main{max-width:62rem;margin:0 auto;padding:0.75rem}
    header.top{display:flex;flex-wrap:wrap;gap:0.5rem;align-items:center;justify-content:space-between;\
    padding:0.5rem 0.75rem;background:#233;color:#fff}
    header.top a.home{color:#fff;font-weight:bold;text-decoration:none}
    header.top form{display:flex;gap:0.3rem;flex:1 1 14rem;max-width:26rem}
    header.top input{flex:1;min-width:0;padding:0.3rem}
    footer{max-width:62rem;margin:1.5rem auto;padding:0 0.75rem;color:#777;font-size:0.8rem}
    h1{font-size:1.35rem;margin:0.4rem 0}h2{font-size:1.1rem;border-bottom:1px solid #ddd;margin-top:1.4rem}
    .meta,.note{color:#666;font-size:0.85rem}
    .totals span{display:inline-block;margin-right:1rem}.totals b{font-size:1.3rem}
    .bars{display:flex;height:1.2rem;border-radius:0.3rem;overflow:hidden;margin:0.5rem 0;background:#eee}
    .bars span{display:block;height:100%}
    .legend span{margin-right:0.8rem;font-size:0.8rem;white-space:nowrap}
    .scroll{overflow-x:auto;margin:0.5rem 0}
    table{border-collapse:collapse;font-size:0.88rem;min-width:100%;background:#fff}
    th,td{border-bottom:1px solid #eee;padding:0.3rem 0.45rem;text-align:left;vertical-align:top}
    th{background:#f2f2f2}
    a.url,.url{word-break:break-all}
    .badge{color:#fff;border-radius:0.6rem;padding:0.05rem 0.5rem;font-size:0.78rem;white-space:nowrap}
    .s-alive{background:#2e7d32}.s-drifted{background:#8d6e00}.s-failing{background:#e65100}
    .s-dead{background:#b71c1c}.s-pending{background:#607d8b}.s-unknown{background:#757575}
    .entry{background:#fff;border:1px solid #e4e4e4;border-radius:0.4rem;padding:0.5rem 0.75rem;margin:0.75rem 0}
    .entry h3{font-size:1rem;margin:0.2rem 0 0.4rem}
    .cite{margin:0.35rem 0;padding-left:0.5rem;border-left:3px solid #ddd}
    .cite .detail{color:#555;font-size:0.82rem}
    textarea.repair{width:100%;min-height:12rem;font-family:monospace;font-size:0.8rem;box-sizing:border-box}
    mark{background:#fff176}
    .hit{margin:0.8rem 0}.hit .snippet{color:#444;font-size:0.9rem}
    .banner{background:#fff8e1;border:1px solid #e0c97a;border-radius:0.4rem;padding:0.5rem 0.75rem;font-size:0.88rem}
    .banner .others{margin-top:0.3rem}
    article.copy{background:#fff;border:1px solid #e4e4e4;border-radius:0.4rem;padding:0.75rem 1rem;margin-top:0.75rem;\
    overflow-wrap:anywhere}
    article.copy img{max-width:100%;height:auto}
    article.copy .missing{display:block;color:#666;background:#f5f5f7;border:1px dashed #bbb;padding:0.5rem;\
    margin:0.5rem 0;font-size:0.85rem}
    .pager a{margin-right:1rem}
    @media (max-width:600px){main{padding:0.5rem}
    table.cards thead{display:none}table.cards tr{display:block;border-bottom:2px solid #ddd;padding:0.4rem 0}
    table.cards td{display:block;border:0;padding:0.1rem 0}
    table.cards td[data-label]:not(:empty)::before{content:attr(data-label) ": ";color:#777;font-size:0.75rem}}

    """
}
