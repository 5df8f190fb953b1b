/// A parsed HTML document copied into plain Swift values: elements and text, nothing else.
///
/// Extractors walk this instead of libxml2 nodes so that no C pointer leaves SKLibXML2
/// (docs/architecture.md#parse-in-a-scope) and the result can cross threads. Nodes live in one array in document
/// order; index 0 is the document itself, and every node names its parent and children.
public struct DOMTree: Sendable, Equatable {
  /// One attribute of an element, as written (entities already decoded by libxml2).
  public struct Attribute: Sendable, Equatable {
    /// Lower-case attribute name.
    public var name: String
    /// Attribute value, entities decoded.
    public var value: String
  }

  /// An element (`name` non-empty) or a text run (`name` empty, `text` set).
  public struct Node: Sendable, Equatable {
    /// Lower-case element name; empty for text and for the document node.
    public var name: String
    /// The text of a text node; empty for elements.
    public var text: String
    /// The element's attributes in source order.
    public var attributes: [Attribute]
    /// Index of the parent node; -1 for the document node.
    public var parent: Int
    /// Indexes of the child nodes, in order.
    public var children: [Int]
    /// Depth below the document node (the document is 0).
    public var depth: Int

    /// Whether this node is a text run.
    // (Inlinable, like `attribute`: called from another module on `nodes[i]`, a plain function
    // gets a copy of the whole node, four retains and releases.)
    @inlinable public var isText: Bool { name.isEmpty && parent >= 0 }

    /// The value of an attribute, if present.
    @inlinable public func attribute(_ name: String) -> String? {
      // (Lengths first: a string comparison that fails is a call into the runtime, and the
      // names asked for seldom share a length with the others.)
      let length = name.utf8.count
      for a in attributes where a.name.utf8.count == length && a.name == name { return a.value }
      return nil
    }
  }

  /// All nodes in document order; `nodes[0]` is the document.
  public internal(set) var nodes: [Node]
  /// True when a limit cut the copy short (see `ParseLimits`).
  public internal(set) var truncated: Bool

  /// An empty document (only the document node).
  public init() {
    nodes = [Node(name: "", text: "", attributes: [], parent: -1, children: [], depth: 0)]
    truncated = false
  }

  /// Indexes of all descendants of `index` in document order (not including `index`).
  public func descendants(of index: Int) -> [Int] {
    var out: [Int] = []
    var stack: [Int] = nodes[index].children.reversed()
    while let i = stack.popLast() {
      out.append(i)
      stack.append(contentsOf: nodes[i].children.reversed())
    }
    return out
  }

  /// Indexes of all elements with the given lower-case name, in document order.
  public func elements(named name: String) -> [Int] {
    nodes.indices.filter { nodes[$0].name == name }
  }
}
