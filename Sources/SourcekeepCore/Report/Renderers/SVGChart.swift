import Foundation

/// Inline SVG charts for the HTML report: no scripts, no external assets, so the file opens
/// anywhere (mail attachment, phone, offline) and prints as it shows.
///
/// Every chart scales to its container (`viewBox`, `width="100%"`) and carries a `<title>`
/// for screen readers. Colours are the report's state colours (`SVGChart.colour`).
enum SVGChart {
  /// One colour per link state, shared by the charts and the HTML badges.
  static func colour(_ state: LinkState) -> String {
    switch state {
    case .alive: return "#2e7d32"
    case .pending: return "#9e9e9e"
    case .drifted: return "#8e24aa"
    case .failing: return "#f9a825"
    case .dead: return "#c62828"
    case .unknown: return "#607d8b"
    }
  }

  /// Links per state: one horizontal bar per state with its count.
  static func stateBars(_ counts: [(LinkState, Int)]) -> String {
    let rowHeight = 26
    let height = counts.count * rowHeight + 10
    let maximum = max(1, counts.map(\.1).max() ?? 1)
    var svg = open(width: 360, height: height, title: "Links by state")
    for (i, (state, n)) in counts.enumerated() {
      let y = 5 + i * rowHeight
      let width = Int((Double(n) / Double(maximum) * 220).rounded())
      svg += text(x: 0, y: y + 17, state.rawValue)
      svg +=
        "<rect x=\"80\" y=\"\(y + 4)\" width=\"\(max(width, n > 0 ? 2 : 0))\" height=\"18\" rx=\"3\" "
        + "fill=\"\(colour(state))\"/>"
      svg += text(x: 86 + width, y: y + 17, String(n))
    }
    return svg + "</svg>"
  }

  /// The survival curve: share alive (y, 0–100 %) at each age bucket's lower bound (x).
  static func survival(_ buckets: [RotCurve.Bucket]) -> String {
    let (left, top, plotW, plotH) = (44, 12, 290, 150)
    var svg = open(width: 350, height: top + plotH + 40, title: "Share of links still alive by age since the digest")
    for pct in stride(from: 0, through: 100, by: 25) {
      let y = top + plotH - plotH * pct / 100
      svg += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(left + plotW)\" y2=\"\(y)\" stroke=\"#ddd\"/>"
      svg += text(x: 4, y: y + 4, "\(pct)%")
    }
    let step = buckets.count > 1 ? plotW / (buckets.count - 1) : 0
    var points: [(Int, Int)] = []
    for (i, b) in buckets.enumerated() {
      let x = left + i * step
      svg += text(x: max(0, x - 10), y: top + plotH + 18, "≥\(b.minDays)d")
      if let share = b.survival {
        points.append((x, top + plotH - Int((share * Double(plotH)).rounded())))
      }
    }
    if points.count > 1 {
      let path = points.map { "\($0.0),\($0.1)" }.joined(separator: " ")
      svg += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(colour(.alive))\" stroke-width=\"2.5\"/>"
    }
    for (x, y) in points {
      svg += "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"4\" fill=\"\(colour(.alive))\"/>"
    }
    if points.isEmpty { svg += text(x: left + 60, y: top + plotH / 2, "no checked links yet") }
    svg += text(x: left + 70, y: top + plotH + 36, "cited at least N days ago")
    return svg + "</svg>"
  }

  /// Per-publisher stacked bars: each publisher's links split by state.
  static func publisherBars(_ groups: [ReportGroup], limit: Int = 12) -> String {
    let shown = Array(groups.prefix(limit))
    let rowHeight = 24
    let labelWidth = 110
    let height = shown.count * rowHeight + 10
    let maximum = max(1, shown.map(\.links).max() ?? 1)
    let unit = 220.0 / Double(maximum)
    var svg = open(width: labelWidth + 240, height: max(height, 30), title: "Links per publisher, by state")
    for (i, group) in shown.enumerated() {
      let name = group.name
      let y = 5 + i * rowHeight
      svg += text(x: 0, y: y + 16, name.count > 8 ? String(name.prefix(7)) + "…" : name)
      var x = Double(labelWidth)
      for state in LinkState.allCases {
        let n = group.count(state)
        guard n > 0 else { continue }
        let w = Double(n) * unit
        svg +=
          "<rect x=\"\(Int(x))\" y=\"\(y + 3)\" width=\"\(max(1, Int(w.rounded())))\" height=\"18\" "
          + "fill=\"\(colour(state))\"><title>\(HTMLReport.escape(name)): \(state.rawValue) \(n)</title></rect>"
        x += w
      }
      svg += text(x: Int(x) + 4, y: y + 16, String(group.links))
    }
    if shown.isEmpty { svg += text(x: 10, y: 20, "no publishers") }
    return svg + "</svg>"
  }

  /// The chart shrinks to a phone's width but never grows past its own: drawn at up to 2× on a
  /// desktop, its 12-unit labels came out at 24 px, larger than the report's headings.
  private static func open(width: Int, height: Int, title: String) -> String {
    "<svg viewBox=\"0 0 \(width) \(height)\" width=\"100%\" "
      + "style=\"max-width:\(width)px\" role=\"img\" font-size=\"12\" font-family=\"sans-serif\">"
      + "<title>\(HTMLReport.escape(title))</title>"
  }

  private static func text(x: Int, y: Int, _ s: String) -> String {
    "<text x=\"\(x)\" y=\"\(y)\" fill=\"#333\">\(HTMLReport.escape(s))</text>"
  }
}
