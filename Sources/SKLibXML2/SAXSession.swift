internal import Clibxml2
internal import Glibc
internal import SKSystem

/// One SAX parse: installs the callbacks in libxml2's parser context and turns each one into
/// a `DOMTreeBuilder` call, keeping the parser's view of its node stack as it is on the tree path.
///
/// Why the node stack matters: libxml2 2.9's HTML parser is not independent of the tree
/// builder. It reads the builder's node stack in two places, and this session keeps both
/// answering as they do when a tree is built:
/// - depth: the tree builder pushes every element with `nodePush`, which halts the parser
///   past `xmlParserMaxDepth` (256); the session calls the same `nodePush`/`nodePop`, so the
///   parser stops at the same element, and it learns from `nodeNr` when the parser popped a
///   node without an end-element callback (a start tag cut off by the end of input or a NUL).
/// - whitespace: `areBlanks` (HTMLparser.c) drops whitespace-only text after looking at
///   `ctxt->node` and its last child. With no tree `ctxt->node` would be NULL and libxml2
///   would keep text the tree path drops, so after every callback the session points
///   `ctxt->node` at a two-node stand-in (an element whose last child is an unnamed CDATA
///   section, which `areBlanks` reads as "drop") when the builder says the whitespace is
///   ignorable, and at NULL ("keep") otherwise. Nothing else in the HTML parser reads it.
///
/// Script and style content (raw text): libxml2 2.9 reads it one character at a time
/// (`htmlParseScript`: `htmlCurrentChar`, `xmlCopyChar` and line counting per character,
/// handed on in pieces of 1,000 characters), which made up a third of libxml2's time on real
/// news pages, where script and style are half the bytes. On input known to be UTF-8, when the
/// first piece arrives the session finds the end tag as `htmlParseScript` finds it (in
/// recovery mode `</` followed by the element's name in any case), hands the builder the rest
/// of the content at once and moves the parser to the end tag; the parser then ends the
/// element as it would have. It leaves the parser alone when the content holds a character
/// libxml2 would drop or change (controls, U+FFFE, U+FFFF), has no end tag in the input,
/// or would make the text node exceed `DOMTreeBuilder.maxTextLength`, and on any libxml2 but
/// 2.9, whose loop it relies on. `SAXTreeEquivalenceTests` compare both ways.
///
/// Not Sendable: it lives for one parse on one thread.
final class SAXSession {
  private let context: htmlParserCtxtPtr
  private(set) var builder: DOMTreeBuilder
  /// The builder's `validUTF8`, kept here: reading it through `builder` copies the builder.
  private let validUTF8: Bool
  /// Whether raw text past the first piece is taken at once (see the type's comment).
  private let takesRawTextAhead: Bool
  /// Set when the current element's raw text was left to libxml2, so that it is not searched
  /// again at each later piece (which would make a long script cost quadratic time).
  private var rawTextLeftToParser = false
  /// The stand-in for `ctxt->node`: [0] an element whose `last` is [1], a CDATA section.
  private let ignorableMarker: UnsafeMutablePointer<xmlNode>
  /// Element names by libxml2's pointer: the parser passes names from its dictionary (or
  /// constants for implied elements), so one pointer is one name for the whole parse, and
  /// each name is converted and looked up once.
  private var names: [UnsafePointer<xmlChar>: DOMTreeBuilder.ElementName] = [:]

  init(context: htmlParserCtxtPtr, builder: DOMTreeBuilder) {
    self.context = context
    self.builder = builder
    validUTF8 = builder.validUTF8
    takesRawTextAhead = builder.validUTF8 && LIBXML_VERSION / 100 == 209
    ignorableMarker = .allocate(capacity: 2)
    ignorableMarker.initialize(repeating: xmlNode(), count: 2)
    ignorableMarker[0].type = XML_ELEMENT_NODE
    ignorableMarker[0].last = ignorableMarker + 1
    ignorableMarker[1].type = XML_CDATA_SECTION_NODE
  }

  deinit {
    ignorableMarker.deinitialize(count: 2)
    ignorableMarker.deallocate()
  }

  /// Parses the context's input, set up as `htmlReadMemory` sets it up (`htmlDoRead`), so
  /// that libxml2 takes the same decisions as on the tree path.
  /// - Parameters:
  ///   - encoding: the charset name given by the caller, or nil to let libxml2 detect it.
  ///   - options: `HTMLDocument.options(encodingGiven:)`.
  func parse(encoding: String?, options: Int32) {
    guard let sax = context.pointee.sax else { return }
    sax.pointee = Self.handler()
    context.pointee._private = Unmanaged.passUnretained(self).toOpaque()
    defer {
      // Neither the stand-in nor this session may be reachable once the parse is over.
      context.pointee.node = nil
      context.pointee._private = nil
    }
    htmlCtxtUseOptions(context, options)
    context.pointee.html = 1
    if let encoding, let handler = xmlFindCharEncodingHandler(encoding) {
      xmlSwitchToEncoding(context, handler)
      if let input = context.pointee.input {
        if let old = input.pointee.encoding { sk_xml_free(UnsafeMutableRawPointer(mutating: old)) }
        input.pointee.encoding = UnsafePointer(xmlStrdup(encoding))
      }
    }
    htmlParseDocument(context)
  }

  /// The callbacks, as a SAX1-style HTML handler like the one `htmlReadMemory` installs.
  /// `ignorableWhitespace` is left to `htmlCtxtUseOptions`, which sets libxml2's no-op.
  private static func handler() -> xmlSAXHandler {
    var h = xmlSAXHandler()
    h.initialized = 1
    h.internalSubset = { ctx, _, publicID, _ in SAXSession.from(ctx)?.doctype(publicID) }
    h.startElement = { ctx, name, atts in SAXSession.from(ctx)?.startElement(name, atts) }
    h.endElement = { ctx, _ in SAXSession.from(ctx)?.endElement() }
    h.characters = { ctx, ch, len in SAXSession.from(ctx)?.text(ch, len, cdata: false) }
    h.cdataBlock = { ctx, ch, len in SAXSession.from(ctx)?.text(ch, len, cdata: true) }
    h.comment = { ctx, _ in SAXSession.from(ctx)?.comment() }
    h.processingInstruction = { ctx, target, _ in SAXSession.from(ctx)?.processingInstruction(target) }
    return h
  }

  /// The session behind a callback's user data (the parser context, whose `_private` holds it).
  private static func from(_ ctx: UnsafeMutableRawPointer?) -> SAXSession? {
    guard let p = ctx?.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private else { return nil }
    return Unmanaged<SAXSession>.fromOpaque(p).takeUnretainedValue()
  }

  private func startElement(
    _ tag: UnsafePointer<xmlChar>?, _ atts: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
  ) {
    guard let tag else { return }
    popUnseenEnds()
    // Past the depth limit nodePush halts the parser and the element is dropped, as on the tree path.
    guard nodePush(context, nil) >= 0 else { return }
    rawTextLeftToParser = false
    builder.startElement(elementName(tag), attributes: attributes(atts))
    markWhitespace()
  }

  private func endElement() {
    popUnseenEnds()
    _ = nodePop(context)
    popUnseenEnds()
    markWhitespace()
  }

  private func text(_ ch: UnsafePointer<xmlChar>?, _ len: Int32, cdata: Bool) {
    guard let ch else { return }
    popUnseenEnds()
    if !builder.text(UnsafeBufferPointer(start: ch, count: Int(len)), cdata: cdata) {
      // The tree builder stops the parser here (a text node past XML_MAX_TEXT_LENGTH).
      xmlStopParser(context)
    } else if cdata && takesRawTextAhead && !rawTextLeftToParser {
      takeRawTextAhead()
    }
    markWhitespace()
  }

  /// Called after a piece of script or style content: takes the rest up to the end tag (see
  /// the type's comment). In `htmlParseScript` a full piece is handed on while the input
  /// stands on its last character, which the loop then steps over (`NEXTL` by that
  /// character's length); so the input is left that length before the end tag. The closing
  /// piece is handed on with the input at the end tag or the end of input: nothing to take.
  private func takeRawTextAhead() {
    guard context.pointee.recovery != 0, let name = context.pointee.name,
      xmlStrEqual(name, Self.script) != 0 || xmlStrEqual(name, Self.style) != 0,
      let input = context.pointee.input, let cur = input.pointee.cur, let end = input.pointee.end, cur < end
    else { return }
    let nameLength = Int(xmlStrlen(name))
    func isEndTag(_ p: UnsafePointer<xmlChar>) -> Bool {
      end - p >= 2 + nameLength && p[0] == UInt8(ascii: "<") && p[1] == UInt8(ascii: "/")
        && xmlStrncasecmp(name, p + 2, Int32(nameLength)) == 0
    }
    if isEndTag(cur) { return }
    rawTextLeftToParser = true
    let lead = cur.pointee
    // (A continuation or invalid lead byte cannot stand here in UTF-8; if it did, the
    // character's length would be a guess, so libxml2 keeps the content.)
    guard lead < 0x80 || (lead >= 0xC2 && lead <= 0xF4) else { return }
    let characterLength = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    guard end - cur > characterLength else { return }
    let start = cur + characterLength
    var from = start
    var endTag: UnsafePointer<xmlChar>?
    while from < end, let lt = memchr(from, Int32(UInt8(ascii: "<")), end - from) {
      let p = UnsafePointer(lt.assumingMemoryBound(to: xmlChar.self))
      if isEndTag(p) {
        endTag = p
        break
      }
      from = p + 1
    }
    guard let endTag else { return }
    let rest = UnsafeBufferPointer(start: start, count: endTag - start)
    guard Self.isCopiedAsIs(rest), builder.text(rest, cdata: true) else { return }
    input.pointee.cur = endTag - characterLength
    rawTextLeftToParser = false
  }

  private static let script = Array("script".utf8CString.map { UInt8(bitPattern: $0) })
  private static let style = Array("style".utf8CString.map { UInt8(bitPattern: $0) })

  /// Whether `htmlParseScript` copies these UTF-8 bytes unchanged: it drops characters outside
  /// XML's `Char` production (controls other than tab, line feed and carriage return, U+FFFE,
  /// U+FFFF) and reads NUL as a space. Surrogates and code points past U+10FFFF are not UTF-8.
  private static func isCopiedAsIs(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let raw = UnsafeRawBufferPointer(bytes)
    // Only bytes below 0x20 and 0xEF need a look (U+FFFE and U+FFFF start with 0xEF; so do
    // fullwidth punctuation and other characters libxml2 keeps): found eight bytes at a time,
    // 2.5x faster than byte by byte on the benchmark pages' scripts.
    var i = UnalignedBytes.firstIndex(ofByteBelow: 0x20, orEqualTo: 0xEF, in: raw, from: 0)
    while i < raw.count {
      let b = raw[i]
      if b < 0x20 {
        if b != 0x09 && b != 0x0A && b != 0x0D { return false }
      } else if i + 2 < raw.count, raw[i + 1] == 0xBF, raw[i + 2] >= 0xBE {
        return false
      }
      i = UnalignedBytes.firstIndex(ofByteBelow: 0x20, orEqualTo: 0xEF, in: raw, from: i + 1)
    }
    return true
  }

  private func comment() {
    popUnseenEnds()
    builder.comment()
    markWhitespace()
  }

  private func processingInstruction(_ target: UnsafePointer<xmlChar>?) {
    popUnseenEnds()
    builder.processingInstruction(target: target.map { String(cString: $0) } ?? "")
    markWhitespace()
  }

  private func doctype(_ publicID: UnsafePointer<xmlChar>?) {
    popUnseenEnds()
    builder.doctype(publicID: publicID.map { String(cString: $0) })
    markWhitespace()
  }

  /// Ends the builder's elements that the parser popped without an end-element callback.
  private func popUnseenEnds() {
    let depth = Int(context.pointee.nodeNr)
    while builder.openCount > depth { builder.endElement() }
  }

  /// Points `ctxt->node` at the stand-in when whitespace would be dropped (see the type's comment).
  private func markWhitespace() {
    context.pointee.node = builder.whitespaceIsIgnorable ? ignorableMarker : nil
  }

  private func elementName(_ tag: UnsafePointer<xmlChar>) -> DOMTreeBuilder.ElementName {
    if let known = names[tag] { return known }
    let tagName = String(cString: tag)
    let element = builder.elementName(tag: tagName, name: treeName(tag, tagName))
    names[tag] = element
    return element
  }

  /// The element name libxml2's tree stores: `xmlSplitQName` drops a prefix (`o:p` is `p`).
  private func treeName(_ tag: UnsafePointer<xmlChar>, _ tagName: String) -> String {
    guard tagName.utf8.contains(UInt8(ascii: ":")) else { return tagName }
    var prefix: UnsafeMutablePointer<xmlChar>?
    guard let name = xmlSplitQName(context, tag, &prefix) else { return tagName }
    defer {
      sk_xml_free(name)
      sk_xml_free(prefix)
    }
    return String(cString: name)
  }

  /// A zero-terminated string from the parser, made as the builder makes its text.
  private func string(_ chars: UnsafePointer<xmlChar>) -> String {
    DOMTreeBuilder.string(UnsafeBufferPointer(start: chars, count: Int(xmlStrlen(chars))), validUTF8: validUTF8)
  }

  /// Attribute pairs as the tree builder stores them: a missing value is the attribute's name
  /// for HTML boolean attributes (`checked`), else empty.
  private func attributes(_ atts: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) -> [DOMTree.Attribute] {
    guard var pair = atts else { return [] }
    var count = 0
    while pair[2 * count] != nil { count += 1 }
    var out: [DOMTree.Attribute] = []
    out.reserveCapacity(count)
    while let name = pair[0] {
      let value: String
      if let v = pair[1] {
        value = string(v)
      } else if htmlIsBooleanAttr(name) != 0 {
        value = string(name)
      } else {
        value = ""
      }
      out.append(DOMTree.Attribute(name: string(name), value: value))
      pair += 2
    }
    return out
  }
}
