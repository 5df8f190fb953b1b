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
  }

  /// Extracts the main text with the WeChat profile when the page has one, else the scorer.
  static func extract(dom: PageDOM, resolver: URLResolver) -> Result {
    let renderer = TextRenderer(dom: dom, base: resolver)
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
