import SKLibXML2

/// A readability-class scorer that finds the article body of a page that is not WeChat.
///
/// Why these rules: they are the ones that generalise across sites (Arc90 readability,
/// trafilatura): paragraphs score by length and punctuation, scores flow to parent and
/// grandparent, containers are penalised by link density and rewarded or punished by
/// class/id hints, and siblings of the winner that look like content are joined to it.
/// Boilerplate (navigation, footers, share bars, comments, related links, QR-code blurbs)
/// is removed before scoring and again while rendering.
struct ArticleScorer {
  let dom: PageDOM
  /// Per node: visible text length in non-space characters (boilerplate subtrees count 0).
  private(set) var textLength: [Int]
  /// Per node: the part of `textLength` inside links.
  private(set) var linkLength: [Int]
  /// Per node: commas and sentence punctuation in the visible text.
  private(set) var punctuation: [Int]
  /// Per node: removed before scoring (by tag or class/id hint), subtree included.
  private(set) var removed: [Bool]
  /// Per node: has a block-level element child.
  private(set) var hasBlockChild: [Bool]
  /// Per node: has an `<img>` below it.
  private(set) var hasImage: [Bool]
  /// Per node: has a `<p>` below it.
  private(set) var hasParagraph: [Bool]
  /// Per node: text length and punctuation of its inline content (text and inline children),
  /// the loose text that readability wraps in a paragraph.
  private(set) var inlineLength: [Int]
  private(set) var inlinePunctuation: [Int]

  static let boilerplateTags: Set<String> = ["nav", "aside", "footer", "header", "figcaption", "menu"]
  /// Class/id fragments that mark boilerplate (matched as substrings of the lower-cased hint).
  static let unlikely: [String] = [
    "comment", "share", "sharing", "related", "recommend", "sidebar", "footer",
    "breadcrumb", "advert", "sponsor", "promo", "subscribe", "newsletter", "qrcode",
    "qr-code", "qr_code", "popup", "modal", "cookie", "login", "signup",
    "pagination", "disqus", "outbrain", "taboola", "copyright",
    "trending", "most-popular", "byline", "dateline", "timestamp",
    "gdpr", "consent", "paywall", "caption", "credit",
    "author-bio", "about-author", "read-more", "readmore", "more-stories", "also-read",
    "author-box", "authorbox", "author-info", "about-the-author", "author-card",
    "references", "bibliography", "reflist", "ref-list", "disclaimer", "affiliate",
  ]
  /// Class/id fragments that name page furniture but also turn up on the wrappers of content
  /// (Blogger's "widget Blog", Elementor's "elementor-widget", "header-wrap"): weak evidence,
  /// overruled by the paragraph text the element holds.
  static let weaklyUnlikely: [String] = [
    "header", "banner", "widget", "menu", "social", "pager", "masthead", "toolbar", "follow",
    "supplemental", "combx", "shoutbox", "navbar", "skip-link", "tagcloud", "rss",
  ]
  /// Whole class/id words that mark boilerplate (too short to match as substrings).
  static let unlikelyWords: Set<String> = ["ad", "ads", "nav", "tags", "tag", "qr", "sr-only"]
  /// Whole words that are weak evidence: "print" and "meta" also name the printable body of
  /// a page ("tip-print-step") and blocks of facts beside the text; "hidden" names a part of
  /// the element ("field--label-hidden") or a gallery section that a script reveals.
  static let weaklyUnlikelyWords: Set<String> = ["print", "meta", "hidden", "hid"]
  /// Class/id fragments that keep an element even when an unlikely fragment matches
  /// ("live-" and "liveblog": a live ticker's entries are the article, whatever they are
  /// called: "live-match-comment", "liveblog-comment"; "commentary" is an opinion piece,
  /// not the readers' comments).
  static let maybe: [String] = [
    "article", "body", "column", "content", "main", "story", "entry", "post-", "text", "live-", "liveblog",
    "liveticker", "commentary",
  ]
  static let positive: [String] = [
    "article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "post", "text",
    "blog", "story", "rich",
  ]
  static let negative: [String] = [
    "hidden", "banner", "combx", "comment", "com-", "contact", "foot", "footnote", "gdpr",
    "masthead", "media", "meta", "outbrain", "promo", "related", "scroll", "share", "shoutbox",
    "sidebar", "skyscraper", "sponsor", "shopping", "tags", "tool", "widget",
  ]
  static let unlikelySet = PatternSet(unlikely)
  static let weaklyUnlikelySet = PatternSet(weaklyUnlikely)
  static let maybeSet = PatternSet(maybe)
  static let positiveSet = PatternSet(positive)
  static let negativeSet = PatternSet(negative)
  static let unlikelyWordSet = WordSet(Array(unlikelyWords))
  static let weaklyUnlikelyWordSet = WordSet(Array(weaklyUnlikelyWords))

  /// - Parameter furnitureRemoved: whether boilerplate tags and class/id hints remove
  ///   elements before scoring (false: only invisible and hidden ones go, the fallback when
  ///   the usual pass finds no text).
  init(dom: PageDOM, furnitureRemoved: Bool = true) {
    self.dom = dom
    let nodes = dom.tree.nodes
    let count = nodes.count
    textLength = Array(repeating: 0, count: count)
    linkLength = Array(repeating: 0, count: count)
    punctuation = Array(repeating: 0, count: count)
    removed = Array(repeating: false, count: count)
    hasBlockChild = Array(repeating: false, count: count)
    hasImage = Array(repeating: false, count: count)
    hasParagraph = Array(repeating: false, count: count)
    inlineLength = Array(repeating: 0, count: count)
    inlinePunctuation = Array(repeating: 0, count: count)
    // Raw text lengths first, so that a class hint never removes most of the page
    // (wrappers named "Page-ad-margins", "theiaStickySidebar", "header-style-2" exist).
    // The part inside links (`rawLink`) tells a menu from an article that a `<nav>` or an
    // unclosed `<header>` wraps.
    // Only an `<a>` with `href` is a link: `<a name="...">` anchors wrap ordinary text.
    var isLink = [Bool](repeating: false, count: count)
    let tags = dom.tags
    for i in nodes.indices where tags[i] == .a && nodes[i].attribute("href") != nil { isLink[i] = true }
    var raw = Array(repeating: 0, count: count)
    var rawLink = Array(repeating: 0, count: count)
    // Per node: a `<p>` of at least a sentence (80 characters outside links) is at or below it.
    var holdsParagraph = [Bool](repeating: false, count: count)
    var k = count - 1
    while k > 0 {
      if nodes[k].isText {
        var len = 0
        for ch in nodes[k].text.utf8 where ch > 0x20 { len += 1 }
        raw[k] = len
      } else if dom.isInvisible(k) {
        raw[k] = 0
        rawLink[k] = 0
      } else if isLink[k] {
        rawLink[k] = raw[k]
      }
      if tags[k] == .p && raw[k] - rawLink[k] >= 80 { holdsParagraph[k] = true }
      raw[nodes[k].parent] += raw[k]
      rawLink[nodes[k].parent] += rawLink[k]
      if holdsParagraph[k] { holdsParagraph[nodes[k].parent] = true }
      k -= 1
    }
    var wordHints = [String](repeating: "", count: count)
    for i in 1..<max(count, 1) where i < count && !nodes[i].attributes.isEmpty {
      var cls = nodes[i].attribute("class")
      let id = nodes[i].attribute("id")
      // Utility classes with a variant prefix (Tailwind's `lg:text-lg`, `hover:underline`)
      // style the element and say nothing about what it holds: they are not evidence.
      if let c = cls, c.utf8.contains(0x3A) {
        cls = c.split(separator: " ").filter { !$0.utf8.contains(0x3A) }.joined(separator: " ")
      }
      if let cls, let id {
        wordHints[i] = cls + " " + id
      } else if let hint = cls ?? id {
        wordHints[i] = hint
      }
    }
    self.wordHints = wordHints
    // (A list or a dialog is never such a wrapper: a list of references, comments or related
    // links, or a pop-up, named so goes whatever its size.)
    let protectAbove = max(500, raw[0] * 35 / 100)
    // A boilerplate tag is weak evidence: `<header>`, `<nav>`, `<aside>` that hold most of the
    // page's text outside links wrap the article (unclosed, or misused by the template).
    let articleAbove = max(200, raw[0] * 35 / 100)
    // A weak class/id word ("widget", "header") is overruled by a tenth of the page's text.
    let weakOverruledAbove = max(200, raw[0] / 10)
    let pageOwnText = raw[0] - rawLink[0]
    func holdsArticle(_ i: Int) -> Bool {
      let own = raw[i] - rawLink[i]
      if tags[i] == .figcaption || own < 80 { return false }
      // Most of the page's text, or half of its text outside links (a mega-menu beside it).
      if own >= 200 && ((own >= articleAbove && rawLink[i] * 2 < raw[i]) || own * 2 >= pageOwnText) { return true }
      // Site headers and menus are links and a line or two; one with paragraphs of text and
      // few links holds content (forum posts in a post header, a description block), and an
      // article's own header with a paragraph holds its lead.
      let tag = tags[i]
      guard (tag == .header || tag == .nav) && rawLink[i] * 4 < raw[i] else { return false }
      return own >= 400 || (tag == .header && holdsParagraph[i])
    }
    // Top-down: removal is inherited from ancestors.
    for i in 1..<max(count, 1) where i < count {
      if removed[nodes[i].parent] {
        removed[i] = true
        continue
      }
      if nodes[i].isText { continue }
      if dom.isInvisible(i) || dom.isHidden(i) {
        removed[i] = true
      } else if !furnitureRemoved {
        continue
      } else if dom.kinds[i] & PageDOM.Kind.boilerplate != 0 && !holdsArticle(i) {
        removed[i] = true
      } else if raw[i] < protectAbove || neverWrapsThePage(i), let hint = unlikelihood(i),
        hint == .strong
          || (dom.kinds[i] & PageDOM.Kind.boilerplate == 0
            && (raw[i] - rawLink[i] < weakOverruledAbove || rawLink[i] * 3 >= raw[i]))
      {
        // (A weak word on a boilerplate tag that holds text says what the tag said.)
        removed[i] = true
      }
    }
    // Bottom-up: lengths flow to parents (children always follow their parent).
    var i = count - 1
    while i > 0 {
      if !removed[i] {
        let isText = nodes[i].isText
        if isText {
          let (len, p) = Self.measure(nodes[i].text)
          textLength[i] = len
          punctuation[i] = p
        } else if isLink[i] {
          linkLength[i] = textLength[i]
        }
        let parent = nodes[i].parent
        textLength[parent] += textLength[i]
        linkLength[parent] += linkLength[i]
        punctuation[parent] += punctuation[i]
        if hasImage[i] || tags[i] == .img { hasImage[parent] = true }
        if tags[i] == .p || hasParagraph[i] { hasParagraph[parent] = true }
        if !isText && dom.isBlock(i) {
          hasBlockChild[parent] = true
        } else if !isLink[i] {
          inlineLength[parent] += textLength[i]
          inlinePunctuation[parent] += punctuation[i]
        }
      }
      i -= 1
    }
  }

  /// Whether the element cannot be the wrapper of a page's content, whatever its size: a list
  /// (`ul`, `ol`, `dl`) or a dialog (`role="dialog"`, `aria-modal`).
  private func neverWrapsThePage(_ i: Int) -> Bool {
    let tag = dom.tags[i]
    if tag == .ul || tag == .ol || tag == .dl { return true }
    if let role = dom.tree.nodes[i].attribute("role"), role == "dialog" || role == "alertdialog" { return true }
    return dom.tree.nodes[i].attribute("aria-modal") == "true"
  }

  /// Characters that are not whitespace, and sentence punctuation (ASCII `,.;!?` and the
  /// CJK forms ，。、；！？), counted on UTF-8 bytes.
  static func measure(_ text: String) -> (length: Int, punctuation: Int) {
    var t = text
    return t.withUTF8 { b in
      var len = 0
      var p = 0
      let n = b.count
      var i = 0
      while i < n {
        let c = b[i]
        if c < 0x80 {
          if c > 0x20 { len += 1 }
          if c == 0x2C || c == 0x2E || c == 0x3B || c == 0x21 || c == 0x3F { p += 1 }
          i += 1
          continue
        }
        if c & 0xC0 != 0x80 {
          if c == 0xC2 && i + 1 < n && b[i + 1] == 0xA0 {
            // NBSP
          } else if c == 0xE3 && i + 2 < n && b[i + 1] == 0x80 {
            let d = b[i + 2]
            if d != 0x80 { len += 1 }
            if d == 0x81 || d == 0x82 { p += 1 }
          } else if c == 0xEF && i + 2 < n && b[i + 1] == 0xBC {
            let d = b[i + 2]
            len += 1
            if d == 0x8C || d == 0x9B || d == 0x81 || d == 0x9F { p += 1 }
          } else {
            len += 1
          }
        }
        i += 1
      }
      return (len, p)
    }
  }

  /// Per node: "class id" as written ("" when neither is set), matched ignoring case; its case
  /// steps start words ("newsCaption").
  private var wordHints: [String] = []

  enum Evidence { case weak, strong }

  /// How strongly the element's role, ARIA state or class/id words say it is boilerplate
  /// (nil: they do not). Class/id fragments match where a word starts.
  private func unlikelihood(_ i: Int) -> Evidence? {
    switch dom.tags[i] {
    case .body, .html, .article, .main, .a: return nil
    default: break
    }
    if let role = dom.tree.nodes[i].attribute("role") {
      // A dialog (a pop-up, a consent or newsletter box) lies over the page: never its text.
      if role == "dialog" || role == "alertdialog" { return .strong }
      if ["navigation", "complementary", "banner", "contentinfo"].contains(role) { return .weak }
    }
    if dom.tree.nodes[i].attribute("aria-hidden") == "true"
      || dom.tree.nodes[i].attribute("aria-modal") == "true"
    {
      return .strong
    }
    let h = wordHints[i]
    if h.utf8.count <= 1 { return nil }
    let evidence: Evidence
    if Self.unlikelySet.matchesWord(h) || Self.unlikelyWordSet.containsWord(of: h) {
      evidence = .strong
    } else if Self.weaklyUnlikelySet.matchesWord(h) || Self.weaklyUnlikelyWordSet.containsWord(of: h) {
      evidence = .weak
    } else {
      return nil
    }
    return Self.maybeSet.matches(h) ? nil : evidence
  }

  /// Whether this element's images are page furniture, not the article's (removed before
  /// scoring, or a link list): `isBoilerplate` without its text-only rules (a figure's
  /// legend is not article text, but its image is the article's).
  func dropsImages(_ i: Int) -> Bool {
    removed[i] || isLinkList(i)
  }

  /// Whether the element is a list, container or paragraph made mostly of links (a menu, a
  /// list of teasers' titles): more than half of its text (four fifths of a `<p>`'s) is link text.
  private func isLinkList(_ i: Int) -> Bool {
    let t = textLength[i]
    guard t > 0, linkLength[i] * 2 > t else { return false }
    switch dom.tags[i] {
    case .p: return Double(linkLength[i]) / Double(t) > 0.8
    case .ul, .ol, .div, .section, .table, .dl: return true
    default: return false
    }
  }

  /// Whether rendering should drop this element (removed before scoring, or a link list).
  func isBoilerplate(_ i: Int) -> Bool {
    if removed[i] { return true }
    if dom.tags[i] == .h1 { return true }
    // An image with a line of text beside it and no paragraph is a figure: the text is its
    // legend or credit, not the article's.
    if hasImage[i] && !hasParagraph[i] && textLength[i] > 0 && textLength[i] <= 150 {
      let tag = dom.tags[i]
      if tag == .div || tag == .figure || tag == .span { return true }
    }
    return isLinkList(i)
  }

  private func classWeight(_ i: Int) -> Double {
    let h = wordHints[i]
    if h.utf8.count <= 1 { return 0 }
    var w = 0.0
    if Self.positiveSet.matches(h) { w += 25 }
    if Self.negativeSet.matchesWord(h) { w -= 25 }
    return w
  }

  private func baseScore(_ i: Int) -> Double {
    var s: Double
    switch dom.tags[i] {
    case .article: s = 10
    case .div, .main: s = 5
    case .pre, .td, .blockquote, .section: s = 3
    case .address, .ol, .ul, .dl, .dd, .dt, .li, .form: s = -3
    case .h1, .h2, .h3, .h4, .h5, .h6, .th: s = -5
    default: s = 0
    }
    return s + classWeight(i)
  }

  private func isParagraph(_ i: Int) -> Bool {
    if removed[i] || textLength[i] < 25 || dom.tree.nodes[i].isText { return false }
    switch dom.tags[i] {
    case .p, .pre, .td, .caption: return true
    case .div, .section, .article, .span, .font, .blockquote, .center, .main, .dd:
      return !hasBlockChild[i]
    default: return false
    }
  }

  /// Whether loose text beside blocks in this element counts as a paragraph of it.
  private static func holdsLooseText(_ tag: PageDOM.Tag) -> Bool {
    switch tag {
    case .div, .section, .article, .td, .main: return true
    default: return false
    }
  }

  func linkDensity(_ i: Int) -> Double {
    textLength[i] == 0 ? 0 : Double(linkLength[i]) / Double(textLength[i])
  }

  /// The body element(s) in document order: the article's lead, then the best-scoring
  /// candidate and its content-like siblings.
  func bestRoots() -> [Int] { withLead(bodyRoots()) }

  /// The roots preceded by the article's lead (standfirst, intro, abstract, "perex"): a block
  /// of prose between the page's title `<h1>` and the body, which templates set apart in the
  /// article header (docs/design.md#main-text).
  ///
  /// Taken only when the title is close: the text between the `<h1>` and the body is short
  /// (a byline, a date, a picture), so an `<h1>` that names the site or another column never
  /// pulls in what lies between.
  func withLead(_ roots: [Int]) -> [Int] {
    let nodes = dom.tree.nodes
    guard let first = roots.first, first > 1 else { return roots }
    var h = first - 1
    while h > 0 && (dom.tags[h] != .h1 || removed[h] || dom.contains(h, first)) { h -= 1 }
    guard h > 0 else { return roots }
    var start = h + 1
    while start < first && dom.contains(h, start) { start += 1 }
    var regionText = 0
    var leads: [Int] = []
    for i in start..<first where !removed[i] {
      if nodes[i].isText {
        regionText += textLength[i]
        continue
      }
      guard dom.isBlock(i), !hasBlockChild[i], !dom.contains(i, first), dom.tags[i] != .h1 else { continue }
      // (Not an image's legend: the only text beside a picture.)
      let parent = nodes[i].parent
      if textLength[i] >= 60 && punctuation[i] > 0 && linkDensity(i) < 0.2
        && !(hasImage[parent] && textLength[parent] == textLength[i])
        && !leads.contains(where: { dom.contains($0, i) })
      {
        leads.append(i)
      }
    }
    guard !leads.isEmpty, regionText <= 1500 else { return roots }
    return leads + roots
  }

  /// The body element(s): the best-scoring candidate and its content-like siblings, in order.
  private func bodyRoots() -> [Int] {
    let nodes = dom.tree.nodes
    var scores: [Int: Double] = [:]
    for i in nodes.indices {
      var p: Int
      var len: Double
      var punct: Int
      if isParagraph(i) {
        p = nodes[i].parent
        len = Double(textLength[i])
        punct = punctuation[i]
      } else if hasBlockChild[i] && inlineLength[i] >= 80 && !removed[i]
        && Self.holdsLooseText(dom.tags[i])
      {
        // Loose text beside blocks counts as a paragraph of this container.
        p = i
        len = Double(inlineLength[i])
        punct = inlinePunctuation[i]
      } else {
        continue
      }
      let score = 1 + Double(punct) + min(len / 100, 3)
      var level = 0
      while p > 0 && level < 5 {
        if scores[p] == nil { scores[p] = baseScore(p) }
        let divider: Double = level == 0 ? 1 : (level == 1 ? 2 : Double(level) * 3)
        scores[p]! += score / divider
        p = nodes[p].parent
        level += 1
      }
    }
    var ranked: [(index: Int, score: Double)] = scores.map { ($0.key, $0.value * (1 - linkDensity($0.key))) }
    ranked.sort { $0.score > $1.score || ($0.score == $1.score && $0.index < $1.index) }
    guard var top = ranked.first?.index, var bestScore = ranked.first?.score else {
      // No paragraph at all: fall back to the body element's text.
      return dom.elements(.body).prefix(1).map { $0 }
    }
    func finalScore(_ i: Int) -> Double? { scores[i].map { $0 * (1 - linkDensity(i)) } }
    // The page's own markup names its article body (schema.org `itemprop="articleBody"`, on
    // one element or on each section of it): when the winner lies outside it (reader comments,
    // a teaser list), the marked body wins if it holds a few paragraphs with few links.
    // It stays where the markup puts it: no climbing back into what it was chosen over.
    var marked = -1
    for i in nodes.indices
    where !nodes[i].isText && !removed[i] && textLength[i] > 0
      && nodes[i].attribute("itemprop") == "articleBody"
    {
      if marked < 0 {
        marked = i
      } else if !dom.contains(marked, i) {
        while marked > 0 && !dom.contains(marked, i) { marked = nodes[marked].parent }
      }
    }
    if marked > 0, dom.tags[marked] != .body, textLength[marked] >= 500, linkDensity(marked) < 0.3,
      !dom.contains(top, marked), !dom.contains(marked, top)
    {
      return siblingsJoined(top: marked, bestScore: bestScore, scores: scores)
    }
    // A body split into several columns: when three of the next strong candidates share an
    // ancestor with the winner, that ancestor is the body (Mozilla readability's rule).
    let rivals = ranked.dropFirst().prefix(4).filter { $0.score >= bestScore * 0.75 }.map(\.index)
    if rivals.count >= 3 {
      var a = nodes[top].parent
      while a > 0 && dom.tags[a] != .body {
        if rivals.filter({ dom.contains(a, $0) }).count >= 3 {
          top = a
          bestScore = max(bestScore, finalScore(a) ?? bestScore)
          break
        }
        a = nodes[a].parent
      }
    }
    // Climb while the parent scores higher, and through wrappers with a single element child.
    var last = bestScore
    var p = nodes[top].parent
    while p > 0 && dom.tags[p] != .body {
      guard let ps = finalScore(p) else {
        p = nodes[p].parent
        continue
      }
      if ps < last / 3 { break }
      if ps > last {
        top = p
        bestScore = ps
        break
      }
      last = ps
      p = nodes[p].parent
    }
    while nodes[top].parent > 0, dom.tags[nodes[top].parent] != .body,
      nodes[nodes[top].parent].children.filter({ !nodes[$0].isText }).count == 1
    {
      top = nodes[top].parent
    }
    // An article split across layout rows and columns (page builders): climb while what the
    // parent adds is at least as much text again, with few links and sentences like the
    // winner's, so that the other columns' text joins it.
    var climbed = 0
    while climbed < 4, nodes[top].parent > 0, dom.tags[nodes[top].parent] != .body {
      let p = nodes[top].parent
      let extra = textLength[p] - textLength[top]
      let extraLinks = linkLength[p] - linkLength[top]
      let extraPunctuation = punctuation[p] - punctuation[top]
      guard extra > 0, extra * 4 > textLength[top] * 3 || climbed > 0 else { break }
      guard extraLinks * 5 < extra,
        extraPunctuation * textLength[top] * 2 >= punctuation[top] * extra
      else { break }
      top = p
      climbed += 1
    }
    // A thread of posts (forum messages, an article in repeated blocks): when the winner lies
    // in one of several sibling items of the same tag and class, and another of them holds a
    // sentence or more, the items' parent is the body (every post, not the longest one).
    var a = top
    for _ in 0..<6 {
      let pa = nodes[a].parent
      guard pa > 0, dom.tags[pa] != .body, dom.tags[pa] != .html else { break }
      if let cls = nodes[a].attribute("class"), !cls.isEmpty, linkDensity(pa) < 0.3 {
        let name = nodes[a].name
        let others = nodes[pa].children.filter {
          $0 != a && !removed[$0] && nodes[$0].name == name && textLength[$0] >= 80 && linkDensity($0) < 0.3
            && nodes[$0].attribute("class") == cls
        }
        if !others.isEmpty {
          top = pa
          break
        }
      }
      a = pa
    }
    return siblingsJoined(top: top, bestScore: bestScore, scores: scores)
  }

  /// The body element and its content-like siblings, in order.
  private func siblingsJoined(top: Int, bestScore: Double, scores: [Int: Double]) -> [Int] {
    let nodes = dom.tree.nodes
    let parent = nodes[top].parent
    guard parent > 0 else { return [top] }
    let threshold = max(10, bestScore * 0.2)
    let topClass = nodes[top].attribute("class") ?? ""
    var roots: [Int] = []
    for s in nodes[parent].children {
      if s == top {
        roots.append(s)
        continue
      }
      if nodes[s].isText || removed[s] || textLength[s] == 0 { continue }
      var bonus = 0.0
      if !topClass.isEmpty && nodes[s].attribute("class") == topClass { bonus = bestScore * 0.2 }
      if let sc = scores[s], sc * (1 - linkDensity(s)) + bonus >= threshold, textLength[s] >= 80,
        linkDensity(s) < 0.3
      {
        roots.append(s)
      } else if dom.tags[s] == .p || isParagraph(s) {
        let len = textLength[s]
        let ld = linkDensity(s)
        if (len > 80 && ld < 0.25) || (len > 0 && ld == 0 && punctuation[s] > 0) { roots.append(s) }
      }
    }
    return roots
  }
}
