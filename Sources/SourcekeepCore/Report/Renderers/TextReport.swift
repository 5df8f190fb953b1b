/// `report --format text`: a summary, every link that needs attention with its citations and
/// archived copy, rot over time, and per-publisher and per-domain tables.
///
/// URLs, archive addresses and commands are printed whole, each on its own line, never cut
/// (a cut URL no longer tells WeChat articles apart by `sn=`). Other text is wrapped, never
/// cut, at `width` columns (CJK characters count as two); with no width (a pipe or a file) it
/// is not wrapped, so each item stays one greppable line. Links never checked (`pending`) are
/// one summary line unless `listPending` (docs/design.md#text-report). Colour (ANSI) only when
/// `colour` is true, which the CLI sets for a TTY.
public enum TextReport {
  /// Renders the report.
  /// - Parameters:
  ///   - width: terminal columns; default 80; nil: no wrapping.
  ///   - colour: ANSI colours for states and headings; default off (files, pipes, tests).
  ///   - listPending: a card per pending link instead of one line counting them.
  public static func render(_ model: ReportModel, width: Int? = 80, colour: Bool = false, listPending: Bool = false)
    -> String
  {
    let out = ReportOutput.memory()
    write(model, width: width, colour: colour, listPending: listPending, to: out)
    return out.text
  }

  /// Writes the report line by line; the attention list is written as its links are read.
  public static func write<Input: ReportInput>(
    _ input: Input, width: Int? = 80, colour: Bool = false, listPending: Bool = false, to output: ReportOutput
  ) throws(Input.Failure) {
    let paint = Paint(enabled: colour)
    let summary = input.summary
    func emit(_ line: String) { output.write(line + "\n") }
    func prose(_ text: String, indent: String = "") { wrap(text, width, indent: indent).forEach(emit) }
    for line in wrap("sourcekeep link-health report — \(Timestamp.forPeople(input.generatedAt))", width) {
      emit(paint.bold(line))
    }
    if let digest = input.filter.digest { prose("digest filter: \(digest)") }
    if !input.filter.states.isEmpty {
      emit("state filter: \(input.filter.states.map(\.rawValue).joined(separator: ", "))")
    }
    emit("")
    prose(
      "digests \(summary.digests.count) · entries \(summary.entries) · citations \(summary.citations) "
        + "(\(summary.sourceCitations) source) · links \(summary.links)")
    let states = summary.byState.filter { $0.1 > 0 }.map { "\($0.0.rawValue) \($0.1)" }
    prose("by state: " + (states.isEmpty ? "none" : states.joined(separator: " · ")))
    let statuses = summary.byStatus.filter { $0.1 > 0 }.map { "\($0.0.rawValue) \($0.1)" }
    prose("by last status: " + (statuses.isEmpty ? "not checked yet" : statuses.joined(separator: " · ")))
    if !summary.missingDigests.isEmpty {
      prose(
        "no longer on disk: \(summary.missingDigests.joined(separator: ", ")) — their links are still checked; "
          + "`sourcekeep forget --digest NAME` stops that (archived copies are kept)")
    }

    // Pending links (never checked) are one line, unless asked for or filtered on by name.
    let cardsForPending = listPending || input.filter.states.contains(.pending)
    let pendingSkipped =
      cardsForPending || !input.filter.states.isEmpty ? 0 : summary.byState.first { $0.0 == .pending }?.1 ?? 0
    func card(_ link: ReportModel.LinkRow) {
      emit("")
      let label = pad(link.state.rawValue.uppercased(), 9)
      let checks = "\(link.checks) check\(link.checks == 1 ? "" : "s")"
      let head = wrap(link.statusText + " · " + checks, width.map { $0 - 9 }, indent: "")
      emit(paint.state(link.state, label) + (head.first ?? ""))
      for rest in head.dropFirst() { emit(String(repeating: " ", count: 9) + rest) }
      emit("  " + whole(link.url))
      for c in link.citations {
        let who = [c.digestDate, c.publisher ?? "-", c.entry ?? "(no entry)"].joined(separator: " · ")
        prose("  cited " + who, indent: "    ")
      }
      if !link.failureText.isEmpty { prose("  " + link.failureText, indent: "    ") }
      if let s = link.snapshot {
        emit("  archived \(ReportTime.short(s.capturedAt))" + (s.truncated ? " (truncated)" : ""))
        // The web address, else the WARC pointer: whole either way (cut, it would not open).
        emit("  " + whole(s.webURL(publicURL: input.publicURL, original: link.url) ?? s.pointer))
        // The command that opens the copy, whole: cut, it would not run.
        emit("  " + whole(ReportModel.SnapshotRow.showCommand(link.url)))
      } else {
        emit("  no archived copy")
      }
    }
    emit("")
    emit(paint.bold("NEEDS ATTENTION — \(summary.attention) of \(summary.links) links not alive"))
    try input.forEachAttentionLink(skipping: cardsForPending ? [] : [.pending]) { card($0) }
    if pendingSkipped > 0 {
      emit("")
      prose(
        "PENDING  \(pendingSkipped) link\(pendingSkipped == 1 ? "" : "s") not checked yet "
          + "(captured or checked by the next run; `--list-pending` lists them)", indent: "         ")
    }
    // `--state alive`: alive links are not in the attention list, so they get their own.
    if input.filter.states.contains(.alive) {
      emit("")
      emit(paint.bold("ALIVE — \(summary.byState.first { $0.0 == .alive }?.1 ?? 0) links"))
      try input.forEachLink { link in
        if link.state == .alive { card(link) }
      }
    }

    let rot = summary.rot
    emit("")
    emit(paint.bold("ROT OVER TIME"))
    wrap(RotCurve.definition, width).forEach(emit)
    emit("")
    emit(
      pad("age", 10) + pad("links", 7, right: true) + pad("alive", 7, right: true)
        + pad("cited ≥ age: alive/checked", 30, right: true) + pad("share", 7, right: true))
    for b in rot.buckets {
      emit(
        pad(b.label, 10) + pad(String(b.links), 7, right: true) + pad(String(b.alive), 7, right: true)
          + pad("\(b.aliveAtLeast)/\(b.linksAtLeast)", 30, right: true)
          + pad(RotCurve.percent(b.survival), 7, right: true))
    }
    emit("")
    emit(
      pad("digest", 24) + pad("date", 12) + pad("links", 7, right: true) + pad("alive/checked", 15, right: true)
        + pad("share", 7, right: true))
    for d in rot.digests {
      emit(
        pad(cut(d.digest, 23), 24) + pad(d.date, 12) + pad(String(d.links), 7, right: true)
          + pad("\(d.alive)/\(d.checked)", 15, right: true) + pad(RotCurve.percent(d.share), 7, right: true))
    }
    emit("")
    table("publisher", summary.publishers).forEach(emit)
    emit("")
    table("domain", summary.domains).forEach(emit)
  }

  private static func table(_ title: String, _ groups: [ReportGroup]) -> [String] {
    let shown: [LinkState] = [.alive, .pending, .drifted, .failing, .dead, .unknown]
    var lines = [
      pad(title, 24) + pad("links", 6, right: true) + shown.map { pad($0.rawValue, 8, right: true) }.joined()
    ]
    for group in groups {
      let counts = shown.map { s in pad(String(group.count(s)), 8, right: true) }
      lines.append(pad(cut(group.name, 23), 24) + pad(String(group.links), 6, right: true) + counts.joined())
    }
    return lines
  }

  /// Breaks `text` at spaces into lines of at most `width` columns, the following ones
  /// starting with `indent`; nil `width`: one line. A word wider than a line is broken between
  /// characters (CJK titles have no spaces) unless it is a URL, which stays whole.
  static func wrap(_ text: String, _ width: Int?, indent: String = "") -> [String] {
    let text = TerminalText.clean(text, singleLine: true)
    guard let width, columns(text) > width else { return [text] }
    // The leading spaces (a card's indent) start the first line.
    let lead = String(text.prefix { $0 == " " })
    var lines: [String] = []
    var line = lead
    func room() -> Int { max(1, width - (lines.isEmpty ? 0 : columns(indent))) }
    func close() {
      lines.append((lines.isEmpty ? "" : indent) + line)
      line = ""
    }
    for word in text.dropFirst(lead.count).split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
      let candidate = line.isEmpty || line == lead ? line + word : line + " " + word
      if columns(candidate) <= room() {
        line = candidate
        continue
      }
      let fresh = lines.isEmpty && line == lead  // nothing on the first line but its indent
      if !line.isEmpty && !fresh { close() }
      if !fresh && (columns(word) <= room() || word.contains("://")) {
        line = word
        continue
      }
      for ch in word {
        if columns(line + String(ch)) > room() && !line.isEmpty && line != lead { close() }
        line.append(ch)
      }
    }
    if !line.isEmpty || lines.isEmpty { close() }
    return lines
  }

  /// A URL, address or command: cleaned of control characters, never cut or wrapped.
  static func whole(_ s: String) -> String { TerminalText.clean(s, singleLine: true) }

  /// ANSI colour, or nothing: applied after padding so column widths stay right.
  struct Paint {
    var enabled: Bool
    func bold(_ s: String) -> String { enabled ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
    func state(_ state: LinkState, _ s: String) -> String {
      guard enabled else { return s }
      let code: String
      switch state {
      case .alive: code = "32"
      case .dead: code = "31;1"
      case .failing: code = "33"
      case .drifted: code = "35"
      case .pending, .unknown: code = "2"
      }
      return "\u{1B}[\(code)m\(s)\u{1B}[0m"
    }
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

  /// Every value from the catalog goes through here, so it is also cleaned of control
  /// characters (`TerminalText`).
  static func cut(_ s: String, _ width: Int) -> String {
    let s = TerminalText.clean(s, singleLine: true)
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
