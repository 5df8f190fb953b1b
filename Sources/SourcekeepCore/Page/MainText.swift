import SKLibXML2

/// Finds the article body of a page and renders it (text, images, links).
///
/// Two profiles: WeChat articles have a known body element (`#js_content`); every other page
/// goes through a readability-class scorer (`ArticleScorer`). Boilerplate inside the chosen
/// body (share bars, related links, QR-code blurbs, comments) is dropped by class/id hints.
enum MainText {
  /// The rendered body and the element(s) it came from.
  struct Result {
    var output: TextRenderer.Output
    var roots: [Int]
    /// The nodes below `roots` whose images are page furniture (requisite discovery skips them).
    var skip: (Int) -> Bool = { _ in false }

    /// Takes a WeChat share message's text and pictures (from its scripts) when the markup
    /// holds less text (docs/wechat.md#share-messages).
    mutating func preferShare(_ share: WeChatShares.Content, resolver: URLResolver) {
      let length = share.paragraphs.reduce(0) { $0 + $1.utf8.count }
      guard output.text.utf8.count < length || (output.text.isEmpty && !share.images.isEmpty) else { return }
      var out = TextRenderer.Output()
      out.text = share.paragraphs.joined(separator: "\n\n")
      out.blocks = share.paragraphs.map { ContentBlock(type: "paragraph", text: $0) }
      for src in share.images {
        guard let abs = resolver.resolve(src), abs.hasPrefix("http"), !out.images.contains(abs) else { continue }
        out.images.append(abs)
        out.blocks.append(ContentBlock(type: "image", text: "", src: abs))
      }
      output = out
    }

    /// Takes the article text from the page's structured data (JSON-LD `articleBody`) when the
    /// markup gave less than half of it: a template that renders its article by script leaves
    /// the markup with a teaser or nothing, and its structured data with the whole text.
    /// The paragraphs are the text's lines; tags some sites leave in it are removed.
    mutating func preferStructuredText(_ structured: String) {
      let lines = MainText.structuredParagraphs(structured)
      let length = lines.reduce(0) { $0 + $1.utf8.count }
      guard length >= 200, output.text.utf8.count * 2 < length else { return }
      output.text = lines.joined(separator: "\n\n")
      output.blocks = lines.map { ContentBlock(type: "paragraph", text: $0) }
    }
  }

  /// The paragraphs of a structured-data text: split at line breaks (and at `<p>`/`<br>` when
  /// it holds markup), tags removed, entities decoded, whitespace collapsed.
  static func structuredParagraphs(_ s: String) -> [String] {
    var text = s
    if text.includes("<") {
      var out = ""
      var inTag = false
      var tag = ""
      for ch in text {
        if inTag {
          if ch == ">" {
            inTag = false
            let name = tag.lowercased().drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }
            if ["p", "br", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"].contains(String(name)) {
              out += "\n"
            }
          } else {
            tag.append(ch)
          }
        } else if ch == "<" {
          inTag = true
          tag = ""
        } else {
          out.append(ch)
        }
      }
      text = decodeEntities(out)
    }
    return text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).map { collapse(String($0)) }.filter
    {
      !$0.isEmpty
    }
  }

  /// Extracts the main text with the WeChat profile when the page has one, else the scorer.
  /// - Parameter structured: whether the blocks carry style and shape (`TextRenderer.structured`).
  static func extract(dom: PageDOM, resolver: URLResolver, structured: Bool = true) -> Result {
    var renderer = TextRenderer(dom: dom, base: resolver)
    renderer.structured = structured
    if let body = WeChatQuirks.bodyElement(in: dom) {
      return Result(output: renderer.render(roots: [body]), roots: [body])
    }
    let scorer = ArticleScorer(dom: dom)
    let roots = scorer.bestRoots()
    let out = roots.isEmpty ? .init() : renderer.render(roots: roots, skip: { scorer.isBoilerplate($0) })
    if !out.text.isEmpty { return Result(output: out, roots: roots, skip: { scorer.dropsImages($0) }) }
    // Never an empty article when the page has text: score again with page furniture kept
    // (a template that wraps its article in a header, or names it like a widget).
    let fallback = ArticleScorer(dom: dom, furnitureRemoved: false)
    let fallbackRoots = fallback.bestRoots()
    guard !fallbackRoots.isEmpty else { return Result(output: out, roots: roots) }
    return Result(
      output: renderer.render(roots: fallbackRoots, skip: { fallback.isBoilerplate($0) }), roots: fallbackRoots,
      skip: { fallback.dropsImages($0) })
  }
}
