internal import Clibxml2
import Foundation

/// Errors from libxml2, naming the document that failed.
public struct LibXMLError: Error, Sendable, CustomStringConvertible {
  public let message: String
  public var description: String { message }
}

/// An HTML document parsed by libxml2; owns its `xmlDoc` and frees it in `deinit`.
///
/// Not Sendable: libxml2 documents are not thread-safe. Parse, query, and drop it on one
/// thread; what leaves is plain Swift values.
public final class HTMLDocument {
  private let doc: xmlDocPtr

  private static let initialised: Bool = {
    xmlInitParser()
    return true
  }()

  private init(doc: xmlDocPtr) { self.doc = doc }
  deinit { xmlFreeDoc(doc) }

  /// Parses HTML from memory with recovery, no network access and no error output.
  /// - Parameters:
  ///   - bytes: the document as received.
  ///   - url: the document's URL, used in error messages and as the base URL.
  ///   - encoding: an IANA charset name when known (else libxml2 detects it).
  /// - Throws: `LibXMLError` if libxml2 returns no document at all.
  /// - SeeAlso: <https://gnome.pages.gitlab.gnome.org/libxml2/devhelp/libxml2-HTMLparser.html#htmlReadMemory>
  public static func parse(bytes: [UInt8], url: String? = nil, encoding: String? = nil) throws(LibXMLError)
    -> HTMLDocument
  {
    _ = initialised
    let options = Int32(
      HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
        | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NOBLANKS.rawValue)
    // libxml2 returns no document for zero bytes; an empty page is still a page.
    let source: [UInt8] = bytes.isEmpty ? Array("<html></html>".utf8) : bytes
    let parsed: xmlDocPtr? = source.withUnsafeBufferPointer { buf in
      buf.withMemoryRebound(to: CChar.self) { p in
        htmlReadMemory(p.baseAddress, Int32(clamping: p.count), url, encoding, options)
      }
    }
    guard let parsed else {
      throw LibXMLError(message: "libxml2 could not parse \(url ?? "the document") as HTML")
    }
    return HTMLDocument(doc: parsed)
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
