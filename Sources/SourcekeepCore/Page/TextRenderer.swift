import SKLibXML2

/// Turns a subtree into the contract's text: paragraphs separated by blank lines, headings
/// and list items on their own lines, inline elements concatenated without added spaces.
///
/// Also collects the body's images (lazy `data-src` first) and links, in document order,
/// because they come from the same walk.
struct TextRenderer {
  /// Elements whose content is never visible text, and ruby annotations (`<rt>` readings and
  /// `<rp>` fallback parentheses set above or beside the base text: 子<rt>こ</rt> reads 子, not 子こ).
  static let invisible: Set<String> = [
    "script", "style", "noscript", "template", "head", "title", "meta", "link", "iframe", "svg",
    "canvas", "object", "embed", "button", "input", "select", "textarea", "option", "mp-style-type",
    "map", "audio", "video", "source", "dialog", "rt", "rp",
  ]
  /// Elements that start and end a block of text.
  static let blocks: Set<String> = [
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
    "blockquote", "pre", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "figure",
    "figcaption", "header", "footer", "aside", "nav", "dl", "dt", "dd", "hr", "address", "details",
    "summary", "caption", "form", "fieldset", "center", "body", "html",
  ]

  struct Output {
    var text: String = ""
    var images: [String] = []
    var links: [String] = []
    /// The same content as a flat, ordered structure (headings, paragraphs, list items,
    /// quotes, table cells, preformatted text, images).
    var blocks: [ContentBlock] = []
  }

  /// What kind of block an element opens, or nil when it takes its parent's kind.
  static func blockKind(_ tag: PageDOM.Tag) -> (type: String, level: Int?)? {
    switch tag {
    case .h1: return ("heading", 1)
    case .h2: return ("heading", 2)
    case .h3: return ("heading", 3)
    case .h4: return ("heading", 4)
    case .h5: return ("heading", 5)
    case .h6: return ("heading", 6)
    case .li, .dt, .dd: return ("list_item", nil)
    case .blockquote: return ("quote", nil)
    case .td, .th, .caption: return ("table_cell", nil)
    case .figcaption: return ("caption", nil)
    default: return nil
    }
  }

  let dom: PageDOM
  let base: URLResolver
  /// Whether the blocks carry their style and shape (`runs`, table and list places, link
  /// `href`, archived image address). False when only the text is wanted (`extract --jsonl`):
  /// the text and the block list's types and texts are the same either way, then dropped.
  var structured = true

  /// Renders the subtrees at `roots`, skipping any node for which `skip` answers true.
  /// The roots' own hidden style is ignored (WeChat hides `#js_content` until its script runs).
  func render(roots: [Int], skip: (Int) -> Bool = { _ in false }) -> Output {
    var out = Output()
    // Each paragraph of the text, with the block it became and, for a heading, its level.
    var paragraphs: [(text: String, tight: Bool, block: Int, heading: Int?)] = []
    var buffer = ""
    var bufferTight = false
    var seenImages = Set<String>()
    var seenLinks = Set<String>()
    // The kind of block each open block element gives its text (innermost last), and the
    // images met inside a paragraph, listed after it.
    var kinds: [(type: String, level: Int?)] = []
    var pendingImages: [ContentBlock] = []
    // The links met in the current block and the first one's address and text: a block that
    // is one link (a list of links, a "read more" line) carries its `href`.
    var blockLinks = 0
    var blockLink: (href: String, text: String)?
    // For the readable rendition: the buffer's text as styled segments, the marks and link in
    // force, and where in a table or list the walk is (BlockLayout).
    var segments: [(text: String, marks: [String], href: String?)] = []
    var marks: [String] = []
    var links: [String?] = []
    var layout = BlockLayout()

    func flush() {
      let t = collapse(buffer)
      if !t.isEmpty {
        let kind = kinds.last ?? ("paragraph", nil)
        paragraphs.append((t, bufferTight, out.blocks.count, kind.type == "heading" ? kind.level ?? 6 : nil))
        var block: ContentBlock
        if structured {
          let href = blockLinks == 1 && blockLink?.text == t ? blockLink?.href : nil
          block = ContentBlock(type: kind.type, text: t, level: kind.level, href: href)
          block.runs = href == nil ? InlineRun.runs(segments, collapsed: t) : nil
          layout.place(&block)
        } else {
          block = ContentBlock(type: kind.type, text: t, level: kind.level)
        }
        out.blocks.append(block)
      }
      out.blocks += pendingImages
      pendingImages.removeAll()
      buffer = ""
      bufferTight = false
      blockLinks = 0
      blockLink = nil
      segments.removeAll()
    }

    // Stack of (node, exiting) pairs; an element is pushed again as "exiting" to close its block.
    for root in roots {
      var stack: [(Int, Bool)] = [(root, false)]
      while let (i, exiting) = stack.popLast() {
        // (The node's fields are read where needed: a copy of the whole `Node` costs retains.)
        let tag = dom.tags[i]
        if exiting {
          if !dom.isBlock(i) {
            // An inline element that set a mark or a link ends.
            if InlineRun.mark(of: tag) != nil { marks.removeLast() }
            if tag == .a { links.removeLast() }
            continue
          }
          flush()
          kinds.removeLast()
          if structured { layout.exit(tag) }
          continue
        }
        if tag == .text {
          let text = dom.tree.nodes[i].text
          buffer += text
          if structured { segments.append((text, marks, links.last ?? nil)) }
          continue
        }
        if dom.isInvisible(i) { continue }
        if i != root && (skip(i) || dom.isHidden(i)) { continue }
        switch tag {
        case .pre:
          // Preformatted text keeps its spaces and line breaks (code, poems, tables in text).
          flush()
          let t = preformatted(i)
          if !t.isEmpty {
            paragraphs.append((t, false, out.blocks.count, nil))
            var block = ContentBlock(type: "pre", text: t)
            if structured { layout.place(&block) }
            out.blocks.append(block)
          }
          continue
        case .br:
          flush()
          if !paragraphs.isEmpty { paragraphs[paragraphs.count - 1].tight = true }
          bufferTight = true
          continue
        case .img:
          let n = dom.tree.nodes[i]
          if let src = imageURL(n), let abs = base.resolve(src), seenImages.insert(abs).inserted {
            out.images.append(abs)
            let alt = n.attribute("alt").map(collapse)
            var image = ContentBlock(type: "image", text: alt ?? "", src: abs, alt: alt)
            // The address a capture archives (the largest `srcset` candidate), so the readable
            // copy shows the image that is in the archive.
            if structured, let full = RequisiteDiscovery.imageReference(n).flatMap(base.resolve), full != abs,
              full.hasPrefix("http")
            {
              image.archivedSrc = full
            }
            if structured { layout.place(&image) }
            if buffer.isEmpty { out.blocks.append(image) } else { pendingImages.append(image) }
          }
          continue
        case .a:
          var link: String?
          if let href = dom.tree.nodes[i].attribute("href"), let abs = base.resolve(href), abs.hasPrefix("http") {
            if seenLinks.insert(abs).inserted { out.links.append(abs) }
            blockLinks += 1
            if blockLinks == 1 && structured { blockLink = (abs, collapse(linkText(i))) }
            link = abs
          }
          links.append(link)
          stack.append((i, true))
        default:
          if let mark = InlineRun.mark(of: tag), !dom.isBlock(i) {
            marks.append(mark)
            stack.append((i, true))
          }
        }
        if dom.isBlock(i) {
          flush()
          // List items and table cells are lines, not paragraphs: a table reads one cell per
          // line, not one per paragraph.
          switch tag {
          case .li, .dt, .dd, .tr, .td, .th: bufferTight = true
          default: break
          }
          kinds.append(Self.blockKind(tag) ?? kinds.last ?? ("paragraph", nil))
          if structured { layout.enter(tag) }
          stack.append((i, true))
        }
        for c in dom.tree.nodes[i].children.reversed() { stack.append((c, false)) }
      }
      flush()
      kinds.removeAll()
      marks.removeAll()
      links.removeAll()
      layout = BlockLayout()
    }
    // A heading with nothing under it (its section was dropped as boilerplate: "Related
    // articles" over a link list, "Comments" over a form) is not part of the content.
    let orphans = Self.orphanHeadings(
      paragraphs.map(\.heading), images: out.blocks.map { $0.type == "image" }, blockOf: paragraphs.map(\.block))
    if !orphans.isEmpty {
      let droppedBlocks = Set(orphans.map { paragraphs[$0].block })
      out.blocks = out.blocks.enumerated().filter { !droppedBlocks.contains($0.offset) }.map(\.element)
      let droppedParagraphs = Set(orphans)
      paragraphs = paragraphs.enumerated().filter { !droppedParagraphs.contains($0.offset) }.map(\.element)
    }
    // Sized once: the text lives as long as its page is in flight (requisites, archive), and
    // growing it by doubling left up to half of it unused.
    var text = ""
    text.reserveCapacity(paragraphs.reduce(0) { $0 + $1.text.utf8.count + 2 })
    for (k, p) in paragraphs.enumerated() {
      if k > 0 { text += p.tight && paragraphs[k - 1].tight ? "\n" : "\n\n" }
      text += p.text
    }
    out.text = text
    return out
  }

  /// The paragraphs (by index) that are headings with no content under them: no paragraph or
  /// image follows before the next heading of the same or a higher rank, or the end.
  /// - Parameters:
  ///   - headings: per paragraph, its heading level (nil: not a heading).
  ///   - images: per block, whether it is an image.
  ///   - blockOf: per paragraph, the index of its block.
  static func orphanHeadings(_ headings: [Int?], images: [Bool], blockOf: [Int]) -> [Int] {
    var orphans: [Int] = []
    for (k, level) in headings.enumerated() {
      guard let level else { continue }
      var hasContent = false
      var j = k + 1
      while j < headings.count {
        if let next = headings[j] {
          if next <= level { break }
        } else {
          hasContent = true
          break
        }
        j += 1
      }
      // An image between the heading and where its section ends is content too.
      let end = j < blockOf.count ? blockOf[j] : images.count
      if !hasContent && !images[(blockOf[k] + 1)..<max(blockOf[k] + 1, end)].contains(true) { orphans.append(k) }
    }
    return orphans
  }

  /// The visible text below a link, as written.
  func linkText(_ i: Int) -> String {
    var out = ""
    var stack: [Int] = dom.tree.nodes[i].children.reversed()
    while let j = stack.popLast() {
      if dom.tags[j] == .text {
        out += dom.tree.nodes[j].text
        continue
      }
      if dom.isInvisible(j) || dom.isHidden(j) { continue }
      stack.append(contentsOf: dom.tree.nodes[j].children.reversed())
    }
    return out
  }

  /// The text of a `<pre>` as written: line breaks and runs of spaces kept (`<br>` is a line
  /// break), invisible characters and the blank lines around it removed.
  func preformatted(_ i: Int) -> String {
    var out = ""
    var stack: [Int] = dom.tree.nodes[i].children.reversed()
    while let j = stack.popLast() {
      let tag = dom.tags[j]
      if tag == .text {
        out += dom.tree.nodes[j].text
        continue
      }
      if dom.isInvisible(j) || dom.isHidden(j) { continue }
      if tag == .br { out += "\n" }
      stack.append(contentsOf: dom.tree.nodes[j].children.reversed())
    }
    var lines = out.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
      // Per line: invisible characters go (collapse's rule) but indentation stays.
      let indent = line.prefix { $0 == " " || $0 == "\t" }
      let rest = collapse(String(line.dropFirst(indent.count)))
      return rest.isEmpty ? "" : String(indent) + restKeepingSpaces(String(line.dropFirst(indent.count)))
    }
    while lines.first?.isEmpty == true { lines.removeFirst() }
    while lines.last?.isEmpty == true { lines.removeLast() }
    return lines.joined(separator: "\n")
  }

  /// A line with its inner spaces kept and only the invisible characters removed.
  private func restKeepingSpaces(_ line: String) -> String {
    var scalars = String.UnicodeScalarView()
    for u in line.unicodeScalars {
      switch u.value {
      // Not U+200C/U+200D: joiners are spelling in Persian and Indic scripts (see `collapse`).
      case 0xAD, 0x200B, 0x2060, 0xFEFF, 0x0D: continue
      default: scalars.append(u)
      }
    }
    var t = String(scalars)
    while t.last == " " || t.last == "\t" { t.removeLast() }
    return t
  }

  /// The URL an `<img>` shows: `data-src` (lazy loading) before `src`, never a `data:` stub.
  func imageURL(_ n: DOMTree.Node) -> String? {
    for key in ["data-src", "src", "data-original", "data-lazy-src"] {
      if let v = n.attribute(key)?.trimming(" \t\n\r"), !v.isEmpty, !v.hasPrefix("data:") {
        return v
      }
    }
    return nil
  }
}

/// One block of the main content, in reading order: `type` is "heading" (with `level`),
/// "paragraph", "list_item", "quote", "table_cell", "caption", "pre" (whitespace kept) or
/// "image" (`src`, `alt`; `text` is the alt text).
///
/// The readable rendition also needs style and shape: `runs` (emphasis and links inside the
/// text), the table position of a block inside a table (`table`, `row`, `column`, `header`),
/// a list item's list (`ordered`, `depth`), and an image's archived address (`archivedSrc`).
/// They are set only when they say something, so `extract --format json` shows them only then,
/// and `==` ignores them: they restate `text` and `src`.
public struct ContentBlock: Sendable, Codable, Equatable {
  public var type: String
  public var text: String
  public var level: Int?
  public var src: String?
  public var alt: String?
  public var href: String?
  /// The text as styled runs, when some of it is emphasised or linked (joined: `text`).
  public var runs: [InlineRun]?
  /// Which table of the content (0, 1, …) the block sits in; `row` and `column` count from 0
  /// (nil row: the table's caption); `header` marks a `<th>` cell.
  public var table: Int?
  public var row: Int?
  public var column: Int?
  public var header: Bool?
  /// A list item of a numbered list.
  public var ordered: Bool?
  /// A list item's nesting depth when it sits in a list inside a list (2, 3, …).
  public var depth: Int?
  /// An image's address as a capture archives it (its largest `srcset` candidate), when that is
  /// not `src` (docs/design.md#page-requisites).
  public var archivedSrc: String?

  public static func == (a: ContentBlock, b: ContentBlock) -> Bool {
    a.type == b.type && a.text == b.text && a.level == b.level && a.src == b.src && a.alt == b.alt
      && a.href == b.href
  }

  public init(
    type: String, text: String, level: Int? = nil, src: String? = nil, alt: String? = nil, href: String? = nil
  ) {
    self.type = type
    self.text = text
    self.level = level
    self.src = src
    self.alt = alt
    self.href = href
  }
}
