public import SKLibXML2

/// Turns the bytes of one fetched page into `PageFacts`: charset, metadata, main text,
/// images, links and soft-404/bot-wall signals.
///
/// The one entry point for `extract`, the fetcher's `probe` and the classifier, so all of
/// them read pages the same way. Stateless and Sendable: call it from any task; each call
/// parses in its own scope and keeps no libxml2 object.
public struct PageExtractor: Sendable {
  /// Bounds on the parsed tree (defaults in `ParseLimits`).
  public var limits: ParseLimits
  /// Whether the facts include the content's `blocks` and the page's `requisites`. False
  /// when only the contract fields are wanted (`extract --jsonl` prints neither): the same
  /// facts otherwise, for less work (docs/performance.md).
  public var structure: Bool

  /// An extractor with the given limits.
  public init(limits: ParseLimits = ParseLimits(), structure: Bool = true) {
    self.limits = limits
    self.structure = structure
  }

  /// Extracts the facts of one page.
  /// - Parameters:
  ///   - body: the response body as received (decompressed); bytes past
  ///     `limits.maxInputBytes` are not parsed.
  ///   - url: the final URL of the page (resolves relative URLs; WeChat walls are recognised
  ///     by path), or nil.
  ///   - contentType: the HTTP `Content-Type` header, whose charset wins when present.
  /// - Returns: the facts; a page that is not HTML still yields facts (mostly empty).
  /// - Throws: `LibXMLError` only when libxml2 cannot set up a parser.
  public func extract(body: [UInt8], url: String? = nil, contentType: String? = nil) throws(LibXMLError) -> PageFacts {
    let input = body.count > limits.maxInputBytes ? Array(body.prefix(limits.maxInputBytes)) : body
    let decision = Charset.decide(bytes: input, contentType: contentType)
    // UTF-8 whatever came in (validated, repaired or transcoded), so the parse need not check again.
    let utf8 = Charset.decode(bytes: input, as: decision)
    let page = try HTMLPage.parse(
      bytes: utf8, url: url, encoding: "UTF-8", limits: limits, skippingContentOf: ["script", "style"],
      validUTF8: true)
    let scripts = ScriptSource(all: { page.scriptTexts() }, jsonLD: { page.scriptTexts(typeContaining: "ld+json") })
    let dom = PageDOM(tree: page.tree, scripts: scripts)
    return facts(dom: dom, url: url, charset: decision.name)
  }

  func facts(dom: PageDOM, url: String?, charset: String) -> PageFacts {
    let isWeChat = WeChatQuirks.isWeChat(dom: dom, url: url)
    let meta = PageMetadata(dom: dom, url: url, isWeChat: isWeChat)
    let resolver = URLResolver(pageURL: url, baseHref: meta.baseHref)
    // A share message (picture, video, text) keeps its content in script variables.
    let share = isWeChat ? WeChatShares.content(in: dom.scriptText()) : nil
    let hasWeChatBody = WeChatQuirks.bodyElement(in: dom) != nil || share != nil
    var main = MainText.extract(dom: dom, resolver: resolver, structured: structure)
    if let share { main.preferShare(share, resolver: resolver) }
    if !isWeChat, let structured = meta.articleBody { main.preferStructuredText(structured) }
    let signals = Soft404Signals.decide(
      dom: dom, url: url, isWeChat: isWeChat, hasWeChatBody: hasWeChatBody,
      mainTextLength: main.output.text.scalarCount)
    let gone = signals.soft404 != nil || signals.blocked
    let script = isWeChat ? dom.scriptText() : ""
    var facts = PageFacts(
      url: url,
      canonicalURL: meta.canonicalURL.flatMap { resolver.resolve($0) },
      title: gone ? nil : meta.title,
      siteName: meta.siteName,
      publisher: gone ? nil : meta.publisher,
      author: gone ? nil : meta.author,
      published: gone ? nil : meta.published,
      language: meta.language,
      description: gone ? nil : meta.description,
      text: gone ? "" : main.output.text,
      images: gone ? [] : main.output.images,
      links: gone ? [] : main.output.links,
      charset: charset,
      soft404: signals.soft404,
      blocked: signals.blocked,
      blockedEvidence: signals.blockedEvidence)
    facts.blocks = gone || !structure ? [] : main.output.blocks
    if !gone && structure {
      facts.requisites = RequisiteDiscovery.discover(
        dom: dom, roots: main.roots, pageURL: url, baseHref: meta.baseHref, skip: main.skip)
    }
    if isWeChat {
      facts.longURL = WeChatQuirks.longURL(in: script)
      if signals.soft404?.reason == .migrated { facts.transferTarget = WeChatQuirks.transferTarget(in: script) }
    }
    return facts
  }
}
