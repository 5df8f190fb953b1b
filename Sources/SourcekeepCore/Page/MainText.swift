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
  }

  /// Extracts the main text with the WeChat profile when the page has one, else the scorer.
  static func extract(dom: PageDOM, resolver: URLResolver) -> Result {
    let renderer = TextRenderer(dom: dom, base: resolver)
    if let body = WeChatQuirks.bodyElement(in: dom) {
      return Result(output: renderer.render(roots: [body]), roots: [body])
    }
    let scorer = ArticleScorer(dom: dom)
    let roots = scorer.bestRoots()
    guard !roots.isEmpty else { return Result(output: .init(), roots: []) }
    let out = renderer.render(roots: roots, skip: { scorer.isBoilerplate($0) })
    return Result(output: out, roots: roots)
  }
}
