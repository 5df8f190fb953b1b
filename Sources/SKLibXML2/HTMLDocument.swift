internal import Clibxml2
import Foundation

/// Errors from libxml2, naming the document that failed.
public struct LibXMLError: Error, Sendable, CustomStringConvertible {
  public let message: String
  public var description: String { message }
}

/// An HTML document parsed by libxml2; owns its `xmlDoc` and frees it in `deinit`.
///
/// For XPath queries (digests, reports). Page extraction reads pages with `HTMLPage`, which
/// builds the same `DOMTree` in one SAX pass without this tree; `tree(limits:skippingContentOf:)`
/// and `scriptTexts(typeContaining:)` here are the reference its tests compare against.
///
/// Not Sendable: libxml2 documents are not thread-safe. Parse, query, and drop it on one
/// thread; what leaves is plain Swift values.
public final class HTMLDocument {
  private let doc: xmlDocPtr

  /// Touched before every parse (tree or SAX) so that `xmlInitParser` runs once.
  static let initialised: Bool = {
    xmlInitParser()
    return true
  }()

  private init(doc: xmlDocPtr) { self.doc = doc }
  deinit { xmlFreeDoc(doc) }

  /// The parser options, set in one place: recover from broken markup, never touch the
  /// network, print nothing, store short text inline (fewer allocations), add no default
  /// DOCTYPE. Entities are not substituted (`XML_PARSE_NOENT` is never set)
  /// and `HTML_PARSE_HUGE` is never set, so libxml2 keeps its own depth and size limits.
  static func options(encodingGiven: Bool) -> Int32 {
    var flags =
      HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
      | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NOBLANKS.rawValue | HTML_PARSE_COMPACT.rawValue
      | HTML_PARSE_NODEFDTD.rawValue
    if encodingGiven { flags |= HTML_PARSE_IGNORE_ENC.rawValue }
    return Int32(flags)
  }

  /// Parses HTML from memory with recovery, no network access and no error output.
  /// - Parameters:
  ///   - bytes: the document as received.
  ///   - url: the document's URL, used in error messages and as the base URL.
  ///   - encoding: an IANA charset name when known (else libxml2 detects it); when given,
  ///     `<meta charset>` in the document is ignored.
  /// - Throws: `LibXMLError` if libxml2 returns no document at all.
  /// - SeeAlso: <https://gnome.pages.gitlab.gnome.org/libxml2/devhelp/libxml2-HTMLparser.html#htmlReadMemory>
  public static func parse(bytes: [UInt8], url: String? = nil, encoding: String? = nil) throws(LibXMLError)
    -> HTMLDocument
  {
    _ = initialised
    let options = options(encodingGiven: encoding != nil)
    // libxml2 returns no document for zero bytes; an empty page is still a page.
    let source: [UInt8] = bytes.isEmpty ? Array("<html></html>".utf8) : bytes
    let parsed: xmlDocPtr? = source.withUnsafeBufferPointer { buf in
      buf.withMemoryRebound(to: CChar.self) { p in
        htmlReadMemory(p.baseAddress, Int32(clamping: p.count), url, encoding, options)
      }
    }
    guard let parsed else {
      throw LibXMLError(
        message: "libxml2 could not parse \(url ?? "the document") as HTML; check that the file is HTML")
    }
    return HTMLDocument(doc: parsed)
  }

  /// Copies the document into a `DOMTree` of Swift values (elements and text only).
  ///
  /// Why: extractors need many passes over the tree; doing them on Swift values keeps every
  /// libxml2 pointer inside this type. The walk is iterative, so nesting depth never grows
  /// the stack; comments, processing instructions and DTD nodes are skipped; script and
  /// style contents are kept as text (page scripts carry metadata).
  /// - Parameters:
  ///   - limits: depth and node-count bounds (`ParseLimits` states the defaults).
  ///   - skippingContentOf: element names whose content is not copied (the element itself
  ///     is); `["script", "style"]` saves half the copying on typical news pages, whose
  ///     scripts can then be read on demand with `scriptTexts(typeContaining:)`.
  /// - Returns: the tree; `truncated` says whether a limit was hit.
  public func tree(limits: ParseLimits = ParseLimits(), skippingContentOf: Set<String> = []) -> DOMTree {
    var tree = DOMTree()
    var parents: [Int] = [0]
    var node: xmlNodePtr? = doc.pointee.children
    var depth = 1
    outer: while let n = node {
      var descend = false
      switch n.pointee.type {
      case XML_ELEMENT_NODE:
        if tree.nodes.count >= limits.maxNodes {
          tree.truncated = true
          break outer
        }
        let index = tree.nodes.count
        let parent = parents[parents.count - 1]
        let name = n.pointee.name.map { String(cString: $0) } ?? ""
        tree.nodes.append(
          DOMTree.Node(
            name: name, text: "", attributes: attributes(of: n), parent: parent, children: [], depth: depth))
        tree.nodes[parent].children.append(index)
        if n.pointee.children != nil && !skippingContentOf.contains(name) {
          if depth < limits.maxDepth {
            parents.append(index)
            descend = true
          } else {
            tree.truncated = true
          }
        }
      case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
        if let c = n.pointee.content, c.pointee != 0 {
          if tree.nodes.count >= limits.maxNodes {
            tree.truncated = true
            break outer
          }
          let index = tree.nodes.count
          let parent = parents[parents.count - 1]
          tree.nodes.append(
            DOMTree.Node(
              name: "", text: String(cString: c), attributes: [], parent: parent, children: [],
              depth: depth))
          tree.nodes[parent].children.append(index)
        }
      default:
        break
      }
      if descend {
        node = n.pointee.children
        depth += 1
        continue
      }
      var x = n
      while true {
        if let next = x.pointee.next {
          node = next
          continue outer
        }
        if depth <= 1 { break outer }
        guard let up = x.pointee.parent else { break outer }
        x = up
        depth -= 1
        parents.removeLast()
      }
    }
    return tree
  }

  /// The text of every `<script>` element, in document order; only those whose `type`
  /// attribute contains `typeContaining` when it is given (e.g. `"ld+json"`).
  ///
  /// Why: page scripts carry metadata (JSON-LD, WeChat's variables) but are a third of a
  /// news page's bytes; reading them on demand keeps them out of the `DOMTree` copy.
  public func scriptTexts(typeContaining: String? = nil) -> [String] {
    let xpath = typeContaining.map { "//script[contains(@type,'\($0)')]" } ?? "//script"
    return elements(xpath: xpath).map(\.text)
  }

  private func attributes(of node: xmlNodePtr) -> [DOMTree.Attribute] {
    var out: [DOMTree.Attribute] = []
    var attr = node.pointee.properties
    while let a = attr {
      let name = String(cString: a.pointee.name)
      if let child = a.pointee.children, child.pointee.next == nil, child.pointee.type == XML_TEXT_NODE,
        let c = child.pointee.content
      {
        out.append(DOMTree.Attribute(name: name, value: String(cString: c)))
      } else if let v = xmlNodeGetContent(UnsafeMutablePointer<xmlNode>(OpaquePointer(a))) {
        out.append(DOMTree.Attribute(name: name, value: String(cString: v)))
        sk_xml_free(v)
      } else {
        out.append(DOMTree.Attribute(name: name, value: ""))
      }
      attr = a.pointee.next
    }
    return out
  }

  /// An element found by a query: its name, attributes, text content and source line.
  public struct Element: Sendable, Equatable {
    public var name: String
    public var attributes: [String: String]
    public var text: String
    public var line: Int
  }

  /// Evaluates an XPath expression and returns the element nodes it selects, in document order.
  public func elements(xpath: String) -> [Element] {
    guard let ctx = xmlXPathNewContext(doc) else { return [] }
    defer { xmlXPathFreeContext(ctx) }
    guard let result = xmlXPathEvalExpression(xpath, ctx) else { return [] }
    defer { xmlXPathFreeObject(result) }
    guard let set = result.pointee.nodesetval else { return [] }
    var out: [Element] = []
    for i in 0..<Int(set.pointee.nodeNr) {
      guard let node = set.pointee.nodeTab[i], node.pointee.type == XML_ELEMENT_NODE else { continue }
      out.append(element(node))
    }
    return out
  }

  private func element(_ node: xmlNodePtr) -> Element {
    var attrs: [String: String] = [:]
    var attr = node.pointee.properties
    while let a = attr {
      let name = String(cString: a.pointee.name)
      if let v = xmlNodeGetContent(UnsafeMutablePointer<xmlNode>(OpaquePointer(a))) {
        attrs[name] = String(cString: v)
        sk_xml_free(v)
      }
      attr = a.pointee.next
    }
    var text = ""
    if let c = xmlNodeGetContent(node) {
      text = String(cString: c)
      sk_xml_free(c)
    }
    return Element(
      name: String(cString: node.pointee.name), attributes: attrs, text: text,
      line: Int(xmlGetLineNo(node)))
  }
}
