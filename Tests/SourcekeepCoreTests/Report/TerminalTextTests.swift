import Foundation
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// The text report and the journal's human lines carry no control character from a digest,
/// a page or a journal value (issue #13, Low 13); the report's own colours stay.
@Suite struct TerminalTextTests {
  static let hostile = "\u{9B}31m\u{1B}]0;pwned\u{07}\u{1B}[2J\u{85}\r\u{8}"
  /// Without CR and NEL, which Markdown reads as line ends.
  static let inline = "\u{9B}31m\u{1B}]0;pwned\u{07}\u{1B}[2J\u{8}"

  static func controls(_ text: String) -> [UInt32] {
    text.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7f...0x9f).contains($0.value) }
      .map(\.value)
  }

  @Test func cleaningKeepsTextAndLayoutOnly() {
    #expect(TerminalText.clean("a\(Self.hostile)b\tc\nd") == "a31m]0;pwned[2Jb\tc\nd")
    #expect(TerminalText.clean("a\tb\nc", singleLine: true) == "a b c")
    #expect(TerminalText.clean("千问 ok") == "千问 ok")
  }

  @Test func textReportShowsDigestTextWithoutControls() throws {
    let dir = TempDirectory()
    let catalog = try Catalog(path: dir.path + "/catalog.sqlite")
    let digest =
      "# 速递 2026年02月17日\n\n## 条目\(Self.inline)标题\n\n"
      + "> **来源：** [出版\u{9B}31m\u{07}\u{8}\u{7F}者](https://example.com/a)\n"
    _ = try catalog.registerDigest(
      try DigestReader().read(dir.write("2026-02-17.md", digest)), at: Timestamp.parse("2026-02-17T07:00:00Z")!)
    let model = try catalog.reportModel(filter: ReportFilter(), now: Timestamp.parse("2026-02-18T12:00:00Z")!)
    #expect(model.links.count == 1)
    for colour in [false, true] {
      var text = TextReport.render(model, colour: colour, listPending: true)
      #expect(text.contains("标题"))
      #expect(text.contains("出版31m者"))
      if colour {
        #expect(text.contains("\u{1B}[1m"))
        for sgr in ["\u{1B}[0m", "\u{1B}[1m", "\u{1B}[2m", "\u{1B}[31;1m", "\u{1B}[32m", "\u{1B}[33m", "\u{1B}[35m"] {
          text = text.replacingOccurrences(of: sgr, with: "")
        }
      }
      #expect(Self.controls(text).isEmpty, "colour \(colour): \(Self.controls(text))")
    }
  }

  @Test func journalLinesAreCleaned() {
    let raw = "{\"ts\":\"2026-02-17T07:00:00.000Z\",\"event\":\"capture\",\"title\":\"a\\u009b31m\\u001b[2Jb\"}"
    let line = JournalReader.Line(raw: raw, value: JSONValue.parse(raw))
    let human = JournalReader.human(line)
    #expect(human.contains("title=a31m[2Jb"), "\(human)")
    #expect(Self.controls(human).isEmpty)
    let broken = JournalReader.Line(raw: "not json \u{1B}[2J", value: nil)
    #expect(Self.controls(JournalReader.human(broken)).isEmpty)
  }
}
