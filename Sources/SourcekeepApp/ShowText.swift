import Foundation
import SourcekeepCore

/// `show --format text`: the article for a terminal, every stranger's character cleaned
/// (`TerminalText`).
enum ShowText {
  static func text(link: LinkCaptures, capture: CaptureRow, facts: PageFacts) -> String {
    var head: [String] = []
    head.append(facts.title ?? capture.title ?? link.url)
    let byline = [facts.publisher ?? facts.siteName, facts.author, facts.published.map(ReadableRendition.localTime)]
      .compactMap { $0 }
    if !byline.isEmpty { head.append(byline.joined(separator: " · ")) }
    head.append("original: \(link.url)")
    head.append("captured: \(ReportTime.short(Timestamp.string(capture.pointer.capturedAt)))")
    head.append("link now: \(CopyBanner.state(link))")
    let header = head.map { TerminalText.clean($0, singleLine: true) }.joined(separator: "\n")
    return header + "\n\n" + TerminalText.clean(facts.text) + "\n"
  }
}
