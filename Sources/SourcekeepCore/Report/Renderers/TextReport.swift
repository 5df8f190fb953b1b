/// `report --format text`: a summary, the links grouped by digest entry, and per-publisher
/// and per-domain tables; fits an 80-column terminal (long titles and URLs are cut).
public enum TextReport {
  public static func render(_ model: ReportModel, width: Int = 80) -> String {
    var out: [String] = []
    out.append("sourcekeep link-health report — \(Timestamp.string(model.generatedAt))")
    if let digest = model.filter.digest { out.append("digest filter: \(digest)") }
    if !model.filter.states.isEmpty {
      out.append("state filter: \(model.filter.states.map(\.rawValue).joined(separator: ", "))")
    }
    out.append("")
    out.append(
      "digests \(model.digests.count) · entries \(model.entries) · citations \(model.citationCount) "
        + "(\(model.sourceCitationCount) source) · links \(model.links.count)")
    let states = model.byState.filter { $0.1 > 0 }.map { "\($0.0.rawValue) \($0.1)" }
    out.append("by state: " + (states.isEmpty ? "none" : states.joined(separator: " · ")))
    let statuses = model.byStatus.filter { $0.1 > 0 }.map { "\($0.0.rawValue) \($0.1)" }
    out.append("by last status: " + (statuses.isEmpty ? "not checked yet" : statuses.joined(separator: " · ")))

    for digest in model.digests {
      out.append("")
      out.append(cut("== \(digest.name) (\(digest.date)) \(digest.title ?? "")", width))
      var lastEntry: String?? = .none
      for (link, citation) in citations(of: digest.name, in: model) {
        if lastEntry != .some(citation.entry) {
          out.append(cut("  ## \(citation.entry ?? "(no entry)")", width))
          lastEntry = .some(citation.entry)
        }
        let label = "\(link.state.rawValue)\(link.status.map { "/\($0.rawValue)" } ?? "")"
        let who = citation.publisher ?? "-"
        out.append(cut("    \(pad(label, 20)) \(who)", width))
        out.append(cut("      \(link.url)", width))
      }
    }
    out.append("")
    out.append(table("publisher", model.publishers.map { ($0.publisher, $0.links) }, width))
    out.append("")
    out.append(table("domain", model.domains.map { ($0.domain, $0.links) }, width))
    return out.joined(separator: "\n") + "\n"
  }

  private static func citations(of digest: String, in model: ReportModel)
    -> [(ReportModel.LinkRow, ReportModel.CitationRow)]
  {
    var rows: [(ReportModel.LinkRow, ReportModel.CitationRow)] = []
    for link in model.links {
      for c in link.citations where c.digest == digest { rows.append((link, c)) }
    }
    // Keep digest order: citations were read in (date, name, position) order per link; sort
    // by entry then source-before-mention is good enough for a terminal listing.
    return rows
  }

  private static func table(_ title: String, _ groups: [(String, [ReportModel.LinkRow])], _ width: Int) -> String {
    let shown: [LinkState] = [.alive, .pending, .drifted, .failing, .dead, .unknown]
    var lines = [
      pad(title, 24) + pad("links", 6, right: true) + shown.map { pad($0.rawValue, 8, right: true) }.joined()
    ]
    for (name, links) in groups {
      let counts = shown.map { s in pad(String(links.filter { $0.state == s }.count), 8, right: true) }
      lines.append(pad(cut(name, 23), 24) + pad(String(links.count), 6, right: true) + counts.joined())
    }
    return lines.joined(separator: "\n")
  }

  /// Display width: CJK characters take two terminal columns.
  static func columns(_ s: String) -> Int {
    s.unicodeScalars.reduce(0) { $0 + (isWide($1) ? 2 : 1) }
  }

  static func isWide(_ u: Unicode.Scalar) -> Bool {
    switch u.value {
    case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
      0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
      return true
    default: return false
    }
  }

  static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - columns(s)))
    return right ? fill + s : s + fill
  }

  static func cut(_ s: String, _ width: Int) -> String {
    guard columns(s) > width else { return s }
    var out = ""
    var used = 0
    for ch in s {
      let w = ch.unicodeScalars.reduce(0) { $0 + (isWide($1) ? 2 : 1) }
      if used + w > width - 1 { break }
      out.append(ch)
      used += w
    }
    return out + "…"
  }
}
