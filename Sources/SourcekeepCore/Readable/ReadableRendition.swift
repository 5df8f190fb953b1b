public import Foundation

/// The readable rendition of one article capture (docs/design.md#readable-copies): a complete
/// UTF-8 HTML5 document with the title, publisher, author, published time, original URL and
/// capture time, then the main content with its structure and images in place.
///
/// Built from the extraction (`PageFacts` and its `blocks`), never from the page's markup: the
/// page's scripts, styles, frames, event attributes and hidden states cannot come along because
/// nothing of the page but its text and its http(s) addresses is copied, escaped. The document
/// has its own small stylesheet and a Content-Security-Policy that allows no script.
public enum ReadableRendition {
  /// The rendition's HTML.
  /// - Parameters:
  ///   - facts: the page's extraction (title, publisher, … and `blocks`).
  ///   - url: the URL the article was cited as (the original URL shown and linked).
  ///   - capturedAt: when the response arrived.
  public static func html(facts: PageFacts, url: String, capturedAt: Date) -> String {
    let e = ReadableBody.escape
    let title = facts.title ?? facts.blocks.first { $0.type == "heading" }?.text ?? url
    var blocks = facts.blocks
    // The title is the header's h1; a first heading that repeats it would show it twice.
    if let first = blocks.first, first.type == "heading", first.text == title { blocks.removeFirst() }
    if blocks.isEmpty && !facts.text.isEmpty {
      // An extraction without blocks (a page read by an older release) still has its text.
      blocks = facts.text.components(separatedBy: "\n\n").map { ContentBlock(type: "paragraph", text: $0) }
    }
    let captured = Timestamp.string(capturedAt)
    var byline: [String] = []
    if let publisher = facts.publisher ?? facts.siteName { byline.append(e(publisher)) }
    if let author = facts.author, author != facts.publisher { byline.append(e(author)) }
    if let published = facts.published {
      byline.append("<time datetime=\"\(e(published))\">\(e(localTime(published)))</time>")
    }
    let original = SafeLink.web(url).map { ReadableBody.anchor($0, e($0)) } ?? e(url)
    return """
      <!DOCTYPE html>
      <html\(languageAttribute(facts.language))>
      <head>
      <meta charset="utf-8">
      <meta http-equiv="Content-Security-Policy" content="\(ReadableStyle.archivedPolicy)">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <meta name="referrer" content="no-referrer">
      <meta name="generator" content="sourcekeep readable rendition">
      <title>\(e(title))</title>
      <style>\(ReadableStyle.css)</style>
      </head>
      <body>
      <article class="sk-readable">
      <header class="sk-source">
      <h1>\(e(title))</h1>
      \(byline.isEmpty ? "" : "<p class=\"sk-byline\">\(byline.joined(separator: " · "))</p>")
      <p class="sk-meta">Original: \(original)<br>Captured: <time datetime="\(captured)">\(ReportTime.short(captured))</time></p>
      </header>
      <div class="sk-content">
      \(ReadableBody(blocks: blocks).html())</div>
      </article>
      </body>
      </html>

      """
  }

  /// A published time as the page gave it, for people: `2026-02-16T21:47:10+08:00` →
  /// `2026-02-16 21:47 +08:00` (the page's own clock, not UTC); other text unchanged.
  public static func localTime(_ iso: String) -> String {
    let chars = Array(iso)
    guard chars.count >= 16, chars[10] == "T" else { return iso }
    var zone = ""
    if let z = chars.lastIndex(where: { $0 == "+" || $0 == "-" || $0 == "Z" }), z > 16 {
      zone = chars[z] == "Z" ? " UTC" : " " + String(chars[z...])
    }
    return String(chars[0..<10]) + " " + String(chars[11..<16]) + zone
  }

  /// ` lang="zh-CN"` when the page declared a well-formed language tag, else nothing.
  static func languageAttribute(_ language: String?) -> String {
    guard let language, !language.isEmpty, language.count <= 35,
      language.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
    else { return "" }
    return " lang=\"\(language)\""
  }
}
