internal import Ccmarkgfm
import Foundation

/// A Markdown document parsed by libcmark-gfm, returned as a tree of Swift values.
///
/// The C tree is walked once inside `parse` and freed before it returns, so no cmark
/// pointer outlives the call (docs/architecture.md#parse-in-a-scope: parse in a scope and return values).
public struct MarkdownNode: Sendable, Equatable {
  /// What a node is. Only the kinds a digest reader needs are told apart.
  public enum Kind: Sendable, Equatable {
    case document, blockQuote, list, item, codeBlock, htmlBlock, paragraph
    case heading(level: Int)
    case thematicBreak, text, softBreak, lineBreak, code, htmlInline, emphasis, strong
    case link(url: String, title: String)
    case image(url: String)
    case other(String)
  }

  public var kind: Kind
  /// Literal content of text, code and html nodes; empty for containers.
  public var literal: String
  /// 1-based source line where the node starts (0 when cmark does not know).
  public var line: Int
  public var children: [MarkdownNode]

  /// The concatenated text of this node and its descendants (soft breaks as spaces).
  public var plainText: String {
    switch kind {
    case .text, .code: return literal
    case .softBreak, .lineBreak: return " "
    default: return children.map(\.plainText).joined()
    }
  }
}

/// Errors from the Markdown parser.
public struct MarkdownError: Error, Sendable, CustomStringConvertible {
  public let message: String
  public var description: String { message }
}

/// Entry point to libcmark-gfm.
public enum MarkdownParser {
  private static let registered: Bool = {
    cmark_gfm_core_extensions_ensure_registered()
    return true
  }()

  /// Limits that keep hostile input bounded.
  public struct Limits: Sendable {
    /// Deepest nesting returned; deeper nodes are dropped (recursion stays bounded). Default 256.
    public var maxDepth = 256
    public init() {}
  }

  /// The cmark-gfm extensions attached: bare URLs (`autolink`) and `~~…~~` (the repair
  /// format). Not `table`: unused by the reader, and quadratic on wide tables in Debian's
  /// 0.29.0.gfm.6 (CVE-2023-37463; 50 rows of 10,000 `|` took 9.7 s). Links in table rows are
  /// still found: the rows stay paragraphs.
  public static let extensions = ["autolink", "strikethrough"]

  /// Parses GitHub-flavoured Markdown with the autolink extension on.
  ///
  /// Autolink matters for digests: editors paste bare URLs as often as `[name](url)`.
  /// - Throws: `MarkdownError` if cmark cannot allocate a parser.
  /// - SeeAlso: <https://github.com/github/cmark-gfm/blob/master/src/cmark-gfm.h>
  public static func parse(_ text: String, limits: Limits = Limits()) throws(MarkdownError) -> MarkdownNode {
    try withDocument(text) { root, _ in convert(root, depth: 0, limits: limits) }
  }

  /// Renders Markdown to HTML (used by tests to prove the library links and works).
  public static func renderHTML(_ text: String) throws(MarkdownError) -> String {
    try withDocument(text) { root, parser in
      guard let html = cmark_render_html(root, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser))
      else { return "" }
      defer { free(html) }
      return String(cString: html)
    }
  }

  /// Parses `text` and hands the root and parser to `body`; both are freed when it returns.
  private static func withDocument<T>(
    _ text: String, _ body: (OpaquePointer, OpaquePointer) -> T
  ) throws(MarkdownError) -> T {
    _ = registered
    guard let parser = cmark_parser_new(CMARK_OPT_DEFAULT) else {
      throw MarkdownError(message: "libcmark-gfm could not create a parser (out of memory?)")
    }
    defer { cmark_parser_free(parser) }
    for name in MarkdownParser.extensions {
      if let ext = cmark_find_syntax_extension(name) {
        cmark_parser_attach_syntax_extension(parser, ext)
      }
    }
    var copy = text
    copy.withUTF8 { buf in
      buf.withMemoryRebound(to: CChar.self) { p in
        if let base = p.baseAddress { cmark_parser_feed(parser, base, p.count) }
      }
    }
    guard let root = cmark_parser_finish(parser) else {
      throw MarkdownError(message: "libcmark-gfm returned no document")
    }
    defer { cmark_node_free(root) }
    return body(root, parser)
  }

  private static func convert(_ node: OpaquePointer, depth: Int, limits: Limits) -> MarkdownNode {
    let type = cmark_node_get_type(node)
    let literal = cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
    let kind: MarkdownNode.Kind
    switch type {
    case CMARK_NODE_DOCUMENT: kind = .document
    case CMARK_NODE_BLOCK_QUOTE: kind = .blockQuote
    case CMARK_NODE_LIST: kind = .list
    case CMARK_NODE_ITEM: kind = .item
    case CMARK_NODE_CODE_BLOCK: kind = .codeBlock
    case CMARK_NODE_HTML_BLOCK: kind = .htmlBlock
    case CMARK_NODE_PARAGRAPH: kind = .paragraph
    case CMARK_NODE_HEADING: kind = .heading(level: Int(cmark_node_get_heading_level(node)))
    case CMARK_NODE_THEMATIC_BREAK: kind = .thematicBreak
    case CMARK_NODE_TEXT: kind = .text
    case CMARK_NODE_SOFTBREAK: kind = .softBreak
    case CMARK_NODE_LINEBREAK: kind = .lineBreak
    case CMARK_NODE_CODE: kind = .code
    case CMARK_NODE_HTML_INLINE: kind = .htmlInline
    case CMARK_NODE_EMPH: kind = .emphasis
    case CMARK_NODE_STRONG: kind = .strong
    case CMARK_NODE_LINK:
      kind = .link(
        url: cmark_node_get_url(node).map { String(cString: $0) } ?? "",
        title: cmark_node_get_title(node).map { String(cString: $0) } ?? "")
    case CMARK_NODE_IMAGE:
      kind = .image(url: cmark_node_get_url(node).map { String(cString: $0) } ?? "")
    default:
      kind = .other(cmark_node_get_type_string(node).map { String(cString: $0) } ?? "unknown")
    }
    var children: [MarkdownNode] = []
    var child = cmark_node_first_child(node)
    while let c = child {
      if depth < limits.maxDepth {
        children.append(convert(c, depth: depth + 1, limits: limits))
      }
      child = cmark_node_next(c)
    }
    return MarkdownNode(
      kind: kind, literal: literal, line: Int(cmark_node_get_start_line(node)), children: children)
  }
}
