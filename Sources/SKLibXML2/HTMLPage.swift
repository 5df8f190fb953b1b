internal import Clibxml2

/// An HTML page read in one pass of libxml2's HTML SAX parser: its `DOMTree` and its scripts.
///
/// Why not `HTMLDocument`: there libxml2 builds its own tree, `tree(limits:skippingContentOf:)`
/// copies it and `deinit` frees it. This pass builds the `DOMTree` directly from the parser's
/// callbacks (about 15 % less CPU on the extraction benchmark pages, bench/parse; no libxml2
/// tree in memory), identical to `HTMLDocument.parse(...).tree(limits:skippingContentOf:)`
/// (the SKLibXML2 tests check that on every shared fixture and benchmark page and on hostile
/// input), and keeps every script's text on the side. `HTMLDocument` stays for XPath queries
/// and as the reference the tests compare against.
///
/// A plain value: Sendable, no C pointer inside.
public struct HTMLPage: Sendable {
  /// The page as elements and text (see `HTMLDocument.tree(limits:skippingContentOf:)`).
  public let tree: DOMTree
  /// Every `<script>` in document order, whether or not the tree copied it.
  let scripts: [DOMTreeBuilder.Script]

  /// Parses HTML from memory with recovery, no network access and no error output, as
  /// `HTMLDocument.parse` does, building only the `DOMTree`.
  /// - Parameters:
  ///   - bytes: the document as received.
  ///   - url: the document's URL, used in error messages.
  ///   - encoding: an IANA charset name when known (else libxml2 detects it); when given,
  ///     `<meta charset>` in the document is ignored.
  ///   - limits: depth and node-count bounds of the tree (`ParseLimits` states the defaults).
  ///   - skippingContentOf: element names whose content is not copied into the tree (the
  ///     element itself is); script texts are kept either way.
  ///   - validUTF8: the caller's promise that `bytes` are well-formed UTF-8 (as
  ///     `Charset.decode` makes them) and `encoding` is UTF-8: the tree's text is then not
  ///     validated a second time. Breaking the promise is undefined behaviour.
  /// - Throws: `LibXMLError` if libxml2 cannot set up a parser (out of memory).
  /// - SeeAlso: <https://gnome.pages.gitlab.gnome.org/libxml2/devhelp/libxml2-HTMLparser.html#htmlParseDocument>
  public static func parse(
    bytes: [UInt8], url: String? = nil, encoding: String? = nil, limits: ParseLimits = ParseLimits(),
    skippingContentOf: Set<String> = [], validUTF8: Bool = false
  ) throws(LibXMLError) -> HTMLPage {
    _ = HTMLDocument.initialised
    // libxml2 makes no parser for zero bytes; the tree path parses the same stand-in.
    let source: [UInt8] = bytes.isEmpty ? Array("<html></html>".utf8) : bytes
    let builder: DOMTreeBuilder? = source.withUnsafeBufferPointer { buf in
      buf.withMemoryRebound(to: CChar.self) { p in
        // The context htmlReadMemory uses (it copies the bytes).
        guard let context = xmlCreateMemoryParserCtxt(p.baseAddress, Int32(clamping: p.count)) else { return nil }
        defer { xmlFreeParserCtxt(context) }
        let session = SAXSession(
          context: context,
          builder: DOMTreeBuilder(
            limits: limits, skipping: skippingContentOf, expectedBytes: source.count, validUTF8: validUTF8))
        session.parse(encoding: encoding, options: HTMLDocument.options(encodingGiven: encoding != nil))
        return session.builder
      }
    }
    guard var builder else {
      throw LibXMLError(message: "libxml2 could not set up a parser for \(url ?? "the document"); check free memory")
    }
    return HTMLPage(tree: builder.finish(), scripts: builder.scripts)
  }

  /// The text of every `<script>` element, in document order; only those whose `type`
  /// attribute contains `typeContaining` when it is given (e.g. `"ld+json"`), as the XPath
  /// `//script[contains(@type,'…')]` selects them.
  ///
  /// Why on demand: scripts are a third of a news page's bytes and most are never read.
  public func scriptTexts(typeContaining: String? = nil) -> [String] {
    scripts.compactMap { script in
      if let needle = typeContaining, !Self.bytes(script.type.utf8, contain: Array(needle.utf8)) { return nil }
      return String(decoding: script.text, as: UTF8.self)
    }
  }

  /// Byte-wise substring test, as XPath `contains()` compares (no Unicode equivalence).
  private static func bytes(_ haystack: String.UTF8View, contain needle: [UInt8]) -> Bool {
    guard !needle.isEmpty else { return true }
    let hay = Array(haystack)
    guard hay.count >= needle.count else { return false }
    for start in 0...(hay.count - needle.count) where hay[start] == needle[0] {
      if hay[start..<(start + needle.count)].elementsEqual(needle) { return true }
    }
    return false
  }
}
