import SKLibXML2

/// Reads an `*.html` digest with libxml2: headings become entries, every link a citation.
///
/// Links that follow a `<strong>来源：</strong>` (the Markdown format rendered to HTML) are
/// source citations with the link text as publisher; all others are mentions.
enum HTMLDigestParser {
  static func parse(_ bytes: [UInt8], path: String) throws(LibXMLError) -> DigestOutline {
    let doc = try HTMLDocument.parse(bytes: bytes, url: path, encoding: "UTF-8")
    var outline = DigestOutline()
    let nodes = doc.elements(xpath: "//h1|//h2|//h3|//h4|//h5|//h6|//a[@href]")
    let sourceLinks = Set(
      doc.elements(xpath: "//a[@href][preceding-sibling::*[self::strong or self::b][contains(., '来源')]]")
        .map { "\($0.line):\($0.attributes["href"] ?? "")" })
    let headingLevels = nodes.compactMap { headingLevel($0.name) }
    let entryLevel: Int? = headingLevels.contains(2) ? 2 : nil
    let pageTitle = doc.elements(xpath: "//title").first.map { MarkdownDigestParser.clean($0.text) }
    var title: String?
    var entry: DigestEntry?
    var nearestHeading: String?
    for node in nodes {
      if let level = headingLevel(node.name) {
        outline.headingCount += 1
        let text = MarkdownDigestParser.clean(node.text)
        nearestHeading = text
        let isTitle = level == 1 && title == nil
        if isTitle { title = text }
        if entryLevel.map({ level == $0 }) ?? !isTitle {
          if let entry { outline.entries.append(entry) }
          entry = DigestEntry(position: outline.entries.count, title: text, category: nil, insight: nil, bullets: [])
        }
      } else if let href = node.attributes["href"] {
        let isSource = sourceLinks.contains("\(node.line):\(href)")
        outline.cite(
          raw: href, text: MarkdownDigestParser.clean(node.text), role: isSource ? .source : .mention,
          entry: entry, nearestHeading: nearestHeading, line: node.line)
      }
    }
    if let entry { outline.entries.append(entry) }
    outline.title = title ?? (pageTitle?.isEmpty == false ? pageTitle : nil)
    outline.headingDate = outline.title.flatMap(DigestDate.find(in:))
    return outline
  }

  private static func headingLevel(_ name: String) -> Int? {
    let lower = name.lowercased()
    guard lower.count == 2, lower.hasPrefix("h"), let n = Int(lower.dropFirst()), (1...6).contains(n) else {
      return nil
    }
    return n
  }
}
