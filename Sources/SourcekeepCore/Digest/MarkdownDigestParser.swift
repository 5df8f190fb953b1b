import SKCmark

/// Reads a Markdown digest from libcmark-gfm's AST.
///
/// The digest format (docs/design.md#digest-format): `#` title with the date, `##` entries, a blockquote with
/// `**分类：**` and `**来源：** [publisher](url) 、 …`, then `**核心洞察：**`, `**内容简介：**`
/// and bullets. Files that do not follow it still yield every link, as mentions under the
/// nearest heading.
enum MarkdownDigestParser {
  static func parse(_ text: String) throws(MarkdownError) -> DigestOutline {
    let root = try MarkdownParser.parse(text)
    var state = State()
    let headings = root.allHeadings
    state.entryLevel = headings.contains(where: { $0.level == 2 }) ? 2 : nil
    state.outline.title = headings.first(where: { $0.level == 1 }).map { clean($0.text) }
    state.outline.headingDate = state.outline.title.flatMap(DigestDate.find(in:))
    for block in root.children { state.visit(block) }
    state.finishEntry()
    return state.outline
  }

  static func clean(_ s: String) -> String {
    s.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
  }

  private struct State {
    var outline = DigestOutline()
    /// Headings of this level start entries; nil means every heading but the title does.
    var entryLevel: Int?
    var entry: DigestEntry?
    var nearestHeading: String?
    var sawTitle = false
    var inSummary = false

    mutating func finishEntry() {
      if let entry { outline.entries.append(entry) }
      entry = nil
      inSummary = false
    }

    mutating func visit(_ node: MarkdownNode) {
      switch node.kind {
      case .heading(let level):
        outline.headingCount += 1
        let text = MarkdownDigestParser.clean(node.plainText)
        nearestHeading = text
        let isTitle = level == 1 && !sawTitle
        if level == 1 { sawTitle = true }
        let startsEntry = entryLevel.map { level == $0 } ?? !isTitle
        if startsEntry {
          finishEntry()
          entry = DigestEntry(
            position: outline.entries.count, title: text, category: nil, insight: nil, bullets: [])
        } else if let level2 = entryLevel, level < level2 {
          finishEntry()  // a higher-level heading closes the entry
        }
        citeLinks(in: node.children, role: .mention, line: node.line)
      case .paragraph:
        paragraph(node)
      case .blockQuote, .document, .item:
        for child in node.children { visit(child) }
      case .list:
        for item in node.children {
          if entry != nil {
            let text = MarkdownDigestParser.clean(item.plainText)
            if !text.isEmpty { entry?.bullets.append(text) }
          }
          for child in item.children { visit(child) }
        }
      case .thematicBreak, .codeBlock, .htmlBlock:
        break
      default:
        citeLinks(in: [node], role: .mention, line: node.line)
      }
    }

    /// Splits a paragraph into lines at soft/hard breaks and reads labelled lines.
    mutating func paragraph(_ node: MarkdownNode) {
      var lines: [[MarkdownNode]] = [[]]
      for child in node.children {
        if child.kind == .softBreak || child.kind == .lineBreak {
          lines.append([])
        } else {
          lines[lines.count - 1].append(child)
        }
      }
      var currentLabel: DigestLabel?
      for (offset, inlines) in lines.enumerated() {
        let line = node.line + offset
        let text = inlines.map(\.plainText).joined()
        if let (label, rest) = DigestLabel.split(text) {
          currentLabel = label
          switch label {
          case .category: if !rest.isEmpty { entry?.category = rest }
          case .insight: if !rest.isEmpty { entry?.insight = rest }
          case .summary: inSummary = true
          case .sources: break
          }
          citeLinks(in: inlines, role: label == .sources ? .source : .mention, line: line)
        } else {
          if currentLabel == .insight, !text.trimmingCharacters(in: .whitespaces).isEmpty {
            let previous = entry?.insight
            entry?.insight = [previous, text.trimmingCharacters(in: .whitespaces)]
              .compactMap { $0 }.joined(separator: " ")
          }
          citeLinks(in: inlines, role: currentLabel == .sources ? .source : .mention, line: line)
        }
      }
    }

    mutating func citeLinks(in nodes: [MarkdownNode], role: Citation.Role, line: Int) {
      for node in nodes {
        if case .link(let url, _) = node.kind {
          outline.cite(
            raw: url, text: MarkdownDigestParser.clean(node.plainText), role: role, entry: entry,
            nearestHeading: nearestHeading, line: node.line > 0 ? max(node.line, line) : line)
        } else if case .image = node.kind {
          continue
        } else {
          citeLinks(in: node.children, role: role, line: line)
        }
      }
    }
  }
}

extension MarkdownNode {
  /// Every heading in document order with its level and text.
  fileprivate var allHeadings: [(level: Int, text: String)] {
    var out: [(Int, String)] = []
    if case .heading(let level) = kind { out.append((level, plainText)) }
    for child in children { out.append(contentsOf: child.allHeadings) }
    return out
  }
}
