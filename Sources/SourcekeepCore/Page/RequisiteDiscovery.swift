import SKLibXML2

/// Finds the images an archived article needs to be readable offline: those of its main
/// content and its cover (docs/design.md#page-requisites).
///
/// Why its own walk and not `PageFacts.images`: the text renderer keeps one address per
/// `<img>` (the lazy `data-src` first) for the contract JSON, while a capture needs the
/// address a reader's browser would load at full size: the largest `srcset` candidate, the
/// `<picture><source>` variants, and none of the 1×1 tracking pixels.
enum RequisiteDiscovery {
  /// The image URLs of the subtrees at `roots` (the main content) and the page's cover
  /// (`og:image`, first: it comes first in the document), absolute http(s), without repeats,
  /// in order of appearance.
  /// - Parameters:
  ///   - pageURL: the page's final URL (relative references resolve against it).
  ///   - baseHref: the page's `<base href>`; honoured only when it resolves to http(s), so a
  ///     hostile `<base href="file:///">` or `javascript:` base cannot redirect the fetches.
  ///   - skip: nodes the main-text renderer skipped (boilerplate: share bars, QR blurbs).
  static func discover(
    dom: PageDOM, roots: [Int], pageURL: String?, baseHref: String?, skip: (Int) -> Bool = { _ in false }
  ) -> [String] {
    let resolver = URLResolver(pageURL: pageURL, baseHref: httpBase(baseHref, pageURL: pageURL))
    var out: [String] = []
    var seen: Set<String> = []
    func add(_ reference: String?) {
      guard let reference, let abs = resolver.resolve(reference) else { return }
      let lower = abs.prefix(8).lowercased()
      guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else { return }
      if seen.insert(abs).inserted { out.append(abs) }
    }
    for m in dom.elements(.meta) {
      let key = (dom.attr(m, "property") ?? dom.attr(m, "name") ?? "").lowercased()
      if key == "og:image" || key == "og:image:url" || key == "og:image:secure_url" || key == "twitter:image" {
        add(dom.attr(m, "content"))
        break
      }
    }
    for root in roots {
      var stack = [root]
      while let i = stack.popLast() {
        let n = dom.tree.nodes[i]
        if n.isText { continue }
        if i != root && dom.isHidden(i) { continue }
        // `skip` judges containers; the scorer also marks the images themselves (and
        // `source`, which it counts as invisible) as removed, which says nothing of them.
        if i != root && !Self.imageElements.contains(n.name) && skip(i) { continue }
        switch n.name {
        case "script", "style", "template", "noscript", "iframe", "svg", "head": continue
        case "img":
          if !isTrackingPixel(n) { add(imageReference(n)) }
          continue
        case "source":
          // `<picture><source srcset>`: each variant a browser may choose. libxml2's HTML
          // parser does not know `source` is void and nests what follows inside it: walk on.
          let isImage = n.attribute("type").map { $0.lowercased().hasPrefix("image/") } ?? true
          if isImage { add(largestCandidate(n.attribute("srcset") ?? n.attribute("data-srcset") ?? "")) }
        default: break
        }
        stack.append(contentsOf: n.children.reversed())
      }
    }
    return out
  }

  static let imageElements: Set<String> = ["img", "picture", "source"]

  /// The address to archive for one `<img>`: the largest `srcset` (or lazy `data-srcset`)
  /// candidate, else the lazy `data-src` (WeChat) before `src`, never a `data:` URI (it is
  /// already inline in the page).
  static func imageReference(_ n: DOMTree.Node) -> String? {
    for key in ["data-srcset", "srcset"] {
      if let set = n.attribute(key), let best = largestCandidate(set) { return best }
    }
    for key in ["data-src", "src", "data-original", "data-lazy-src"] {
      if let v = n.attribute(key)?.trimming(" \t\n\r"), !v.isEmpty, !v.lowercased().hasPrefix("data:") {
        return v
      }
    }
    return nil
  }

  /// The candidate of a `srcset` with the largest width (`800w`) or density (`2x`); a
  /// candidate without a descriptor counts as `1x`. `data:` candidates are ignored.
  static func largestCandidate(_ srcset: String) -> String? {
    var best: (url: String, width: Double, density: Double)?
    for part in splitCandidates(srcset) {
      let fields = part.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
      guard let first = fields.first else { continue }
      let url = String(first)
      if url.lowercased().hasPrefix("data:") { continue }
      var width = 0.0
      var density = 1.0
      if fields.count > 1 {
        let d = fields[1].lowercased()
        if d.hasSuffix("w"), let w = Double(d.dropLast()) { width = w }
        if d.hasSuffix("x"), let x = Double(d.dropLast()) { density = x }
      }
      if let b = best, (b.width, b.density) >= (width, density) { continue }
      best = (url, width, density)
    }
    return best?.url
  }

  /// The candidates of a `srcset` as "URL descriptor" strings, parsed as the HTML standard
  /// does: a URL is a run of non-space characters (so `/img,w_800/a.jpg` stays whole), and
  /// a comma ends a candidate only after its URL's trailing commas or its descriptors.
  static func splitCandidates(_ srcset: String) -> [String] {
    let chars = Array(srcset)
    var parts: [String] = []
    var i = 0
    func isSpace(_ c: Character) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0C}" }
    while i < chars.count {
      while i < chars.count, isSpace(chars[i]) || chars[i] == "," { i += 1 }
      var url = ""
      while i < chars.count, !isSpace(chars[i]) {
        url.append(chars[i])
        i += 1
      }
      if url.isEmpty { break }
      if url.hasSuffix(",") {
        while url.hasSuffix(",") { url.removeLast() }
        if !url.isEmpty { parts.append(url) }
        continue
      }
      var descriptor = ""
      var depth = 0
      while i < chars.count {
        let c = chars[i]
        if c == "(" { depth += 1 }
        if c == ")" { depth = max(0, depth - 1) }
        if c == ",", depth == 0 { break }
        descriptor.append(c)
        i += 1
      }
      parts.append(url + " " + descriptor.trimming(" \t\n\r"))
    }
    return parts
  }

  /// A 1×1 (or 0-sized) image: a tracking pixel, not content.
  static func isTrackingPixel(_ n: DOMTree.Node) -> Bool {
    func size(_ key: String) -> Int? {
      guard let v = n.attribute(key)?.trimming(" \t\n\r").lowercased() else { return nil }
      return Int(v.hasSuffix("px") ? String(v.dropLast(2)) : v)
    }
    return (size("width").map { $0 <= 1 } ?? false) || (size("height").map { $0 <= 1 } ?? false)
  }

  /// `<base href>` when it resolves to http(s), else nil (the page URL is the base).
  static func httpBase(_ href: String?, pageURL: String?) -> String? {
    guard let href = href?.trimming(" \t\n\r"), !href.isEmpty else { return nil }
    let page = pageURL.flatMap { URLResolver.parse($0, relativeTo: nil) }
    guard let scheme = URLResolver.parse(href, relativeTo: page)?.scheme?.lowercased(),
      scheme == "http" || scheme == "https"
    else { return nil }
    return href
  }
}
