import Foundation

/// `report --format markdown`: a report ready to paste into the editor's repository.
///
/// With `--digest`, it starts with the digest's citations reproduced entry by entry (each
/// `[publisher](url)`, in the digest's order), dead ones struck through and failing or drifted
/// ones marked ⚠️, each followed by its state, status and archived copy, so the editor can
/// repair the digest. Then (always) the summary, the links needing attention, rot over time
/// and the per-publisher and per-domain tables.
///
/// The archived copy is named by its WARC file and record offset (`ArchivePointer`), linked
/// with `file://` when the storage folder is known: there is no replay server yet.
public enum MarkdownReport {
  public static func render(_ model: ReportModel) -> String {
    let out = ReportOutput.memory()
    write(model, to: out)
    return out.text
  }

  /// Writes the report; the attention table is written as its links are read.
  public static func write<Input: ReportInput>(_ input: Input, to out: ReportOutput) throws(Input.Failure) {
    if input.filter.digest != nil {
      for digest in input.summary.digests {
        for line in reproduction(of: digest, rows: try input.citations(inDigest: digest.name), in: input) {
          out.write(line + "\n")
        }
      }
    }
    try summary(input, to: out)
  }

  // MARK: Digest with archive links

  static func reproduction(
    of digest: (name: String, date: String, title: String?),
    rows unsorted: [(link: ReportModel.LinkRow, citation: ReportModel.CitationRow)], in input: some ReportInput
  ) -> [String] {
    let rows = unsorted.sorted { $0.citation.position < $1.citation.position }
    var unique: [ReportModel.LinkRow] = []
    for row in rows where !unique.contains(where: { $0.url == row.link.url }) { unique.append(row.link) }
    let counts = [LinkState.dead, .failing, .drifted, .unknown, .pending, .alive].compactMap { state in
      let n = unique.filter { $0.state == state }.count
      return n == 0 ? nil : "\(n) \(state == .pending ? "not checked yet" : state.rawValue)"
    }
    var out = [
      "# \(escapeText(digest.title ?? digest.name)) — sources checked",
      "",
      "_\(digest.name) (\(digest.date)) · checked by sourcekeep \(ReportTime.short(Timestamp.string(input.generatedAt))): "
        + "\(unique.count) cited links — \(counts.joined(separator: ", ")). "
        + "~~struck through~~ = dead, ⚠️ = failing or drifted; "
        + (input.publicURL?.isEmpty == false
          ? "archived copy = its page in the archive's web view._"
          : "archived copy = WARC file#offset under the storage folder "
            + "(`warcio extract --payload FILE OFFSET` prints it)._"),
      "",
    ]
    // Entries in digest order; citations outside any entry last.
    var order: [Int?] = []
    for row in rows where !order.contains(row.citation.entryPosition) { order.append(row.citation.entryPosition) }
    order.sort { ($0 ?? Int.max) < ($1 ?? Int.max) }
    for position in order {
      let inEntry = rows.filter { $0.citation.entryPosition == position }
      out.append("## \(escapeText(inEntry.first?.citation.entry ?? "(links outside any entry)"))")
      out.append("")
      let sources = inEntry.filter { $0.citation.role == .source }
      let mentions = inEntry.filter { $0.citation.role == .mention }
      if !sources.isEmpty {
        out.append(
          "> **来源：** "
            + sources.map { marked($0.link, $0.citation, publicURL: input.publicURL) }
            .joined(separator: " 、 "))
        out.append("")
      }
      if !mentions.isEmpty {
        out.append(
          "**Also linked:** "
            + mentions.map { marked($0.link, $0.citation, publicURL: input.publicURL) }
            .joined(separator: " · "))
        out.append("")
      }
      // Pending links are only counted above: before the first check there is nothing to repair.
      let notes = inEntry.filter { $0.link.state != .alive && $0.link.state != .pending }
      for (link, citation) in notes {
        out.append(
          "- "
            + note(
              link, name: citation.publisher ?? link.host, storageDir: input.storageDir, publicURL: input.publicURL))
      }
      if !notes.isEmpty { out.append("") }
    }
    out.append("---")
    out.append("")
    return out
  }

  /// `[publisher](url)`, struck through when dead, with ⚠️ when failing or drifted. With a web
  /// view, a link that is not alive becomes an HTML link carrying Robust Links attributes
  /// (`data-versionurl`, `data-versiondate`), so the repaired digest keeps the way to its copy.
  static func marked(_ link: ReportModel.LinkRow, _ citation: ReportModel.CitationRow, publicURL: String?) -> String {
    let name = citation.publisher ?? link.host
    var plain = linked(name, link.url)
    if link.state != .alive, WebLink.isWeb(link.url), let s = link.snapshot,
      let web = s.webURL(publicURL: publicURL, original: link.url)
    {
      plain =
        "<a href=\"\(HTMLReport.escape(link.url))\"\(s.robustLinkAttributes(original: link.url, web: web, toCopy: false))>"
        + "\(HTMLReport.escape(name))</a>"
    }
    switch link.state {
    case .dead: return "~~\(plain)~~"
    case .failing, .drifted: return "\(plain) ⚠️"
    case .alive, .pending, .unknown: return plain
    }
  }

  /// One line per broken citation: state, status, failure times, archived copy.
  static func note(_ link: ReportModel.LinkRow, name: String, storageDir: String?, publicURL: String?) -> String {
    var parts = ["**\(escapeText(name))** \(link.state.rawValue)", link.statusText]
    if !link.failureText.isEmpty { parts.append(link.failureText) }
    parts.append(archive(link, storageDir: storageDir, publicURL: publicURL, robust: true))
    return parts.joined(separator: " · ")
  }

  /// The archived copy: its web address when `web.public_url` is set (`robust`: as an HTML link
  /// with Robust Links attributes, for the repair notes; else a Markdown link, for table cells),
  /// otherwise the WARC pointer linked with `file://`.
  static func archive(_ link: ReportModel.LinkRow, storageDir: String?, publicURL: String?, robust: Bool = false)
    -> String
  {
    guard let s = link.snapshot else {
      // No local copy: a public archive's, when the fallback found one (http(s) only).
      if let copy = link.fallback, WebLink.isWeb(copy.url) {
        return "no archived copy here; public copy (\(copy.source)"
          + (copy.timestamp.map { " \(ReportTime.short($0))" } ?? "")
          + "): [\(copy.source) copy](\(destination(copy.url)))"
      }
      return "no archived copy"
    }
    if let web = s.webURL(publicURL: publicURL, original: link.url) {
      let anchor =
        robust
        ? "<a href=\"\(HTMLReport.escape(web))\"\(s.robustLinkAttributes(original: link.url, web: web, toCopy: true))>"
          + "archived copy</a>"
        : "[archived copy](\(destination(web)))"
      return "archived \(ReportTime.short(s.capturedAt)) \(anchor)" + (s.truncated ? " (truncated)" : "")
        + showCode(link.url)
    }
    return
      "archived \(ReportTime.short(s.capturedAt)) [`\(s.pointer)`](\(destination(s.fileLink(storageDir: storageDir))))"
      + (s.truncated ? " (truncated)" : "") + showCode(link.url)
  }

  /// ` · open: `sourcekeep show 'URL'``: the command that prints the copy offline, as inline
  /// code (fenced with two backticks when the URL holds one, so it stays one span).
  static func showCode(_ url: String) -> String {
    let command = ReportModel.SnapshotRow.showCommand(url).replacingOccurrences(of: "\n", with: " ")
    return command.contains("`") ? " · open: `` \(command) ``" : " · open: `\(command)`"
  }

  // MARK: Summary and tables

  static func summary<Input: ReportInput>(_ input: Input, to output: ReportOutput) throws(Input.Failure) {
    let summary = input.summary
    var out = [
      "## Link health — \(ReportTime.short(Timestamp.string(input.generatedAt)))",
      "",
    ]
    if let digest = input.filter.digest { out.append("Digest filter: `\(digest)`  ") }
    if !input.filter.states.isEmpty {
      out.append("State filter: \(input.filter.states.map(\.rawValue).joined(separator: ", "))  ")
    }
    if !summary.missingDigests.isEmpty {
      out.append(
        "No longer on disk: \(summary.missingDigests.map(escapeText).joined(separator: ", ")) — their links are still "
          + "checked; `sourcekeep forget --digest NAME` stops that (archived copies are kept).  ")
    }
    out += [
      "Digests \(summary.digests.count) · entries \(summary.entries) · citations \(summary.citations) "
        + "(\(summary.sourceCitations) source) · links \(summary.links)",
      "",
      table(
        ["state", "links"], summary.byState.filter { $0.1 > 0 }.map { [$0.0.rawValue, String($0.1)] }, right: [1]),
      "",
      table(
        ["last status", "links"], summary.byStatus.filter { $0.1 > 0 }.map { [$0.0.rawValue, String($0.1)] },
        right: [1]),
      "",
    ]
    out.append("### Needs attention (\(summary.attention) of \(summary.links) links)")
    out.append("")
    if summary.attention == 0 {
      out.append("Every link is alive.")
    } else {
      out.append(table(["state", "link", "cited", "status", "first failure", "dead since", "archived copy"], []))
    }
    for line in out { output.write(line + "\n") }
    let columns = ["state", "link", "cited", "status", "first failure", "dead since", "archived copy"]
    func linkRow(_ l: ReportModel.LinkRow) {
      output.write(
        row([
          l.state.rawValue, linked(short(l.url), l.url, showURL: false),
          l.citations.map { c in
            [c.digestDate, c.publisher.map(escapeText) ?? "-", c.entry.map(escapeText) ?? "(no entry)"]
              .joined(separator: " · ")
          }.joined(separator: "<br>"),
          l.statusText, l.firstFailure.map(ReportTime.short) ?? "", l.deadSince.map(ReportTime.short) ?? "",
          archive(l, storageDir: input.storageDir, publicURL: input.publicURL),
        ]) + "\n")
    }
    // The attention table's rows, as the links are read.
    try input.forEachAttentionLink(linkRow)
    // `--state alive`: alive links are never in the attention list, so they get their own table
    // (docs/design.md#text-report).
    if input.filter.states.contains(.alive) {
      let alive = summary.byState.first { $0.0 == .alive }?.1 ?? 0
      output.write("\n### Alive (\(alive) of \(summary.links) links)\n\n")
      output.write(alive == 0 ? "No link is alive.\n" : table(columns, []) + "\n")
      try input.forEachLink { l in if l.state == .alive { linkRow(l) } }
    }
    let rot = summary.rot
    let rest = [
      "",
      "### Rot over time", "", "_\(RotCurve.definition)_", "",
      table(
        ["age", "links", "alive", "cited ≥ age: alive/checked", "share alive"],
        rot.buckets.map {
          [
            $0.label, String($0.links), String($0.alive), "\($0.aliveAtLeast)/\($0.linksAtLeast)",
            RotCurve.percent($0.survival),
          ]
        }, right: [1, 2, 3, 4]),
      "",
      table(
        ["digest", "date", "links", "alive/checked", "share alive"],
        rot.digests.map {
          [escapeText($0.digest), $0.date, String($0.links), "\($0.alive)/\($0.checked)", RotCurve.percent($0.share)]
        }, right: [2, 3, 4]),
      "",
      "### Publishers", "", groupTable("publisher", summary.publishers), "",
      "### Domains", "", groupTable("domain", summary.domains),
    ]
    for line in rest { output.write(line + "\n") }
  }

  static func groupTable(_ title: String, _ groups: [ReportGroup]) -> String {
    let shown: [LinkState] = [.alive, .pending, .drifted, .failing, .dead, .unknown]
    return table(
      [title, "links"] + shown.map(\.rawValue),
      groups.map { group in
        [escapeText(group.name), String(group.links)] + shown.map { s in String(group.count(s)) }
      }, right: Array(1...(shown.count + 1)))
  }

  /// A GitHub-flavoured table; `right` names the right-aligned (numeric) columns.
  static func table(_ header: [String], _ rows: [[String]], right: [Int] = []) -> String {
    var lines = ["| " + header.joined(separator: " | ") + " |"]
    lines.append("|" + header.indices.map { right.contains($0) ? "---:" : "---" }.joined(separator: "|") + "|")
    for cells in rows { lines.append(row(cells)) }
    return lines.joined(separator: "\n")
  }

  /// One table row.
  static func row(_ cells: [String]) -> String {
    "| " + cells.map(cell).joined(separator: " | ") + " |"
  }

  private static func cell(_ s: String) -> String {
    s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
  }

  /// Link text that Markdown will not read as syntax.
  static func escapeText(_ s: String) -> String {
    var out = ""
    for ch in s {
      if "\\[]*_`<>".contains(ch) { out.append("\\") }
      out.append(ch)
    }
    return out
  }

  /// `[text](url)` for an http(s) URL; with any other scheme (`javascript:`, `data:`) the
  /// text, followed by the URL when `showURL`, never a link.
  static func linked(_ text: String, _ url: String, showURL: Bool = true) -> String {
    guard WebLink.isWeb(url) else { return escapeText(text) + (showURL ? " (\(escapeText(url)))" : "") }
    return "[\(escapeText(text))](\(destination(url)))"
  }

  /// A link destination; angle brackets keep spaces and parentheses in URLs intact.
  static func destination(_ url: String) -> String {
    url.contains(where: { $0 == " " || $0 == "(" || $0 == ")" || $0 == "<" || $0 == ">" })
      ? "<" + url.replacingOccurrences(of: "<", with: "%3C").replacingOccurrences(of: ">", with: "%3E") + ">"
      : url
  }

  /// `mp.weixin.qq.com/s/abc…` for table cells: scheme dropped, at most 48 characters.
  static func short(_ url: String) -> String {
    var s = url
    for prefix in ["https://", "http://"] where s.hasPrefix(prefix) { s = String(s.dropFirst(prefix.count)) }
    return s.count > 48 ? String(s.prefix(47)) + "…" : s
  }
}
