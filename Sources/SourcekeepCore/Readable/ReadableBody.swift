/// Turns the extraction's flat block list back into HTML with its shape: lists (numbered,
/// nested), quotes, tables (rows, cells, header cells, caption), figures with captions,
/// preformatted text, and emphasis and links inside the text (docs/design.md#readable-copies).
///
/// Every character of the page is escaped; the only markup is what this type writes, so no
/// element or attribute of the page can reach the rendition.
struct ReadableBody {
  let blocks: [ContentBlock]

  /// The content's HTML, one block element a line.
  func html() -> String {
    var out = ""
    var i = 0
    while i < blocks.count {
      let b = blocks[i]
      if let table = b.table {
        var end = i
        while end < blocks.count, blocks[end].table == table { end += 1 }
        out += Self.table(blocks[i..<end])
        i = end
      } else if b.type == "list_item" {
        var end = i
        while end < blocks.count, blocks[end].type == "list_item", blocks[end].table == nil { end += 1 }
        out += Self.list(blocks[i..<end])
        i = end
      } else if b.type == "quote" {
        var end = i
        while end < blocks.count, blocks[end].type == "quote", blocks[end].table == nil { end += 1 }
        out += "<blockquote>" + blocks[i..<end].map { "<p>\(Self.inline($0))</p>" }.joined() + "</blockquote>\n"
        i = end
      } else if b.type == "image" {
        let caption = i + 1 < blocks.count && blocks[i + 1].type == "caption" ? blocks[i + 1] : nil
        out += Self.figure(b, caption: caption)
        i += caption == nil ? 1 : 2
      } else {
        out += Self.block(b) + "\n"
        i += 1
      }
    }
    return out
  }

  /// One block outside lists and tables.
  static func block(_ b: ContentBlock) -> String {
    switch b.type {
    case "heading":
      // h1 is the article's title in the header; the content's headings start at h2.
      let level = min(6, max(2, b.level ?? 2))
      return "<h\(level)>\(inline(b))</h\(level)>"
    case "pre": return "<pre>\(escape(b.text))</pre>"
    case "image": return figure(b, caption: nil)
    case "caption": return "<p class=\"sk-caption\">\(inline(b))</p>"
    default: return "<p>\(inline(b))</p>"
    }
  }

  /// An image in place, with its caption when the page gave one; nothing for a non-web source.
  static func figure(_ image: ContentBlock, caption: ContentBlock?) -> String {
    let captionHTML = caption.map { "<figcaption>\(inline($0))</figcaption>" } ?? ""
    guard let tag = img(image) else { return captionHTML.isEmpty ? "" : "<p>\(inline(caption!))</p>\n" }
    return "<figure>\(tag)\(captionHTML)</figure>\n"
  }

  /// `<img src="…" alt="…">`, always in this form (`SelfContainedPage` finds images by it).
  static func img(_ image: ContentBlock) -> String? {
    guard let src = SafeLink.web(image.archivedSrc ?? image.src) else { return nil }
    return "<img src=\"\(escape(src))\" alt=\"\(escape(image.alt ?? ""))\" loading=\"lazy\">"
  }

  /// List items as nested `<ul>`/`<ol>`: a deeper item opens a list inside the item before it.
  static func list(_ items: ArraySlice<ContentBlock>) -> String {
    var out = ""
    var open: [Bool] = []  // ordered?, outermost first
    for item in items {
      let depth = max(1, item.depth ?? 1)
      let ordered = item.ordered ?? false
      while open.count > depth {
        out += open.removeLast() ? "</li></ol>" : "</li></ul>"
      }
      if open.count == depth, open.last != ordered {
        out += open.removeLast() ? "</li></ol>" : "</li></ul>"
      }
      if open.count == depth {
        out += "</li>"
      }
      while open.count < depth {
        let o = open.count == depth - 1 ? ordered : false
        out += o ? "<ol>" : "<ul>"
        open.append(o)
        if open.count < depth { out += "<li>" }
      }
      out += "<li>\(inline(item))"
    }
    while let o = open.popLast() { out += o ? "</li></ol>" : "</li></ul>" }
    return out + "\n"
  }

  /// A table's blocks (cells and caption) as a `<table>` in a scrolling box.
  static func table(_ cells: ArraySlice<ContentBlock>) -> String {
    var caption = ""
    var rows: [Int: [Int: (header: Bool, html: String)]] = [:]
    for c in cells {
      let html =
        c.type == "image" ? (img(c) ?? "") : c.type == "pre" ? "<pre>\(escape(c.text))</pre>" : "<p>\(inline(c))</p>"
      guard let row = c.row, let column = c.column else {
        caption += inline(c)
        continue
      }
      var cell = rows[row, default: [:]][column] ?? (c.header ?? false, "")
      cell.html += html
      rows[row, default: [:]][column] = cell
    }
    var out = "<div class=\"sk-table\"><table>"
    if !caption.isEmpty { out += "<caption>\(caption)</caption>" }
    for row in rows.keys.sorted() {
      out += "<tr>"
      let columns = rows[row] ?? [:]
      // A cell the page left empty still takes its place, so the columns line up.
      for column in 0...(columns.keys.max() ?? 0) {
        let cell = columns[column] ?? (false, "")
        out += cell.header ? "<th>\(cell.html)</th>" : "<td>\(cell.html)</td>"
      }
      out += "</tr>"
    }
    return out + "</table></div>\n"
  }

  /// The block's text with its emphasis and links; a block that is one link links whole.
  static func inline(_ b: ContentBlock) -> String {
    guard let runs = b.runs, !runs.isEmpty else {
      if let href = SafeLink.web(b.href) { return anchor(href, escape(b.text)) }
      return escape(b.text)
    }
    var out = ""
    for run in runs {
      var html = escape(run.text)
      for mark in (run.marks ?? []).reversed() {
        switch mark {
        case "strong", "em", "code", "sub", "sup": html = "<\(mark)>\(html)</\(mark)>"
        default: break
        }
      }
      if let href = SafeLink.web(run.href) { html = anchor(href, html) }
      out += html
    }
    return out
  }

  static func anchor(_ href: String, _ html: String) -> String {
    "<a href=\"\(escape(href))\" rel=\"noreferrer noopener\">\(html)</a>"
  }

  static func escape(_ s: String) -> String { HTMLReport.escape(s) }
}
