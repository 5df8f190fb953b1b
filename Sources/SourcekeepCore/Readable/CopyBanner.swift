import Foundation

/// What a reader of an archived copy is told first: whose copy, from when, and what the link
/// does now (docs/design.md#show). `show` puts it in its banner and its messages; the web view
/// can use it the same way.
public enum CopyBanner {
  /// The link's state now in a few words: `dead since 2026-03-01 08:00 UTC`, `alive (checked …)`.
  public static func state(_ link: LinkCaptures) -> String {
    func t(_ d: Date?) -> String { d.map { ReportTime.short(Timestamp.string($0)) } ?? "?" }
    let checked = link.lastChecked.map { ", last checked \(t($0))" } ?? ""
    let why = [link.status, link.httpStatus.map { "HTTP \($0)" }].compactMap { $0 }.joined(separator: ", ")
    switch link.state {
    case .dead: return "dead since \(t(link.deadSince ?? link.firstFailure))" + (why.isEmpty ? "" : " (\(why))")
    case .failing: return "failing since \(t(link.firstFailure))" + (why.isEmpty ? "" : " (\(why))") + checked
    case .drifted: return "drifted: the page no longer says what was cited" + checked
    case .alive: return "alive" + checked
    case .pending: return "pending: not fetched yet"
    case .unknown: return "unknown" + (why.isEmpty ? "" : " (\(why))") + checked
    }
  }

  /// The banner's HTML (escaped): original URL, publisher, capture time, the link's state now,
  /// and how many of the article's images the copy holds.
  public static func html(link: LinkCaptures, capture: CaptureRow, inlined: Int, missing: Int) -> String {
    let e = ReadableBody.escape
    let url = SafeLink.web(link.url).map { ReadableBody.anchor($0, e($0)) } ?? e(link.url)
    var parts = ["Archived copy of \(url)"]
    if let publisher = capture.publisher { parts.append(e(publisher)) }
    parts.append("captured \(e(ReportTime.short(Timestamp.string(capture.pointer.capturedAt))))")
    var lines = [parts.joined(separator: " · "), "Link now: \(e(state(link)))"]
    if inlined + missing > 0 {
      lines.append(
        "\(inlined) of \(inlined + missing) image\(inlined + missing == 1 ? "" : "s") archived"
          + (missing > 0 ? "; the others are marked where they stood" : ""))
    }
    if link.captures.count > 1 {
      lines.append("\(link.captures.count) captures: `sourcekeep show --at TIME` picks another")
    }
    return lines.joined(separator: "<br>")
  }
}
