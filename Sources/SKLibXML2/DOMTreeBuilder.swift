internal import SKSystem

/// Builds a `DOMTree` from HTML parser events, giving exactly what libxml2's own tree builder
/// (SAX2.c) followed by `HTMLDocument.tree(limits:skippingContentOf:)` gives.
///
/// Why a mirror and not a plain stack: libxml2 2.9's tree builder has rules of its own that
/// the tree path inherits, and the SAX path must reproduce them to give the same tree:
/// - consecutive text chunks of one kind (text or CDATA) form one node; a comment, a
///   processing instruction or an element in between starts a new one;
/// - text outside any open element is dropped;
/// - an element started when no element is open goes under the first element of the
///   document, unless the document starts with something else (DOCTYPE, comment, PI), in
///   which case it becomes another top-level element;
/// - a text node may not grow past 10,000,000 bytes (`XML_MAX_TEXT_LENGTH`): libxml2 stops.
///
/// The copy rules are those of the tree walk: element names as libxml2 stores them (the part
/// after a prefix), depth and node caps from `ParseLimits`, skipped content, empty text
/// ignored. Script texts are collected for every `<script>`, copied or not, as the XPath
/// query on the full document finds them.
///
/// Pure Swift: `SAXSession` turns libxml2's callbacks into these calls.
struct DOMTreeBuilder {
  /// What a copied or uncopied element passes on to its children.
  struct Parent {
    /// Index in the tree, or -1 when the element was not copied.
    var index: Int
    /// Whether children are copied (the element is copied, its content is not skipped and
    /// it is above the depth limit).
    var copiesChildren: Bool
    /// Whether the element was copied at the depth limit: any child marks the tree truncated.
    var truncatesChildren: Bool
    /// Depth of the element (the document is 0).
    var depth: Int
    /// The innermost `<script>` that is this element or an ancestor (index into `scripts`), or -1.
    var script: Int
  }

  /// An element's last child as libxml2's whitespace test sees it (comments are skipped).
  enum LastChild {
    case none
    case text
    /// An element, PI or CDATA section; whether its name is one that keeps whitespace beside it.
    case other(allowsWhitespace: Bool)
  }

  /// An element on libxml2's node stack.
  struct OpenElement {
    var parent: Parent
    /// Whether the parser's name for it is in libxml2's `allowPCData` list.
    var tagAllowsWhitespace: Bool
    /// Whether the tree's name for it is in that list (used once it is its parent's last child).
    var nameAllowsWhitespace: Bool
    var isBody: Bool
    var lastChild: LastChild
  }

  /// The text node being built: libxml2 appends consecutive chunks of one kind to one node.
  struct TextRun {
    var cdata: Bool
    var length: Int
    /// Where the node goes in the tree; `parent.copiesChildren` says whether it is copied.
    var parent: Parent
  }

  /// The first child of libxml2's document node, which decides where a stray element goes.
  enum DocumentStart {
    case empty
    case element(Parent)
    case other
  }

  /// One `<script>` element: its `type` attribute ("" when absent) and the bytes of its text.
  struct Script: Sendable {
    var type: String
    var text: [UInt8]
    /// The enclosing script (scripts nest only through broken markup), or -1.
    var enclosing: Int
  }

  /// What the builder needs to know about an element name, worked out once per name.
  struct ElementName {
    /// The name libxml2's tree stores (`xmlSplitQName`: the part after a prefix).
    let name: String
    /// Whether the parser's name (before the split) is in libxml2's `allowPCData` list.
    let tagAllowsWhitespace: Bool
    /// Whether `name` is in that list (used once the element is its parent's last child).
    let nameAllowsWhitespace: Bool
    let isBody: Bool
    let isScript: Bool
    /// Whether the element's content stays out of the tree (`skippingContentOf`).
    let isSkipped: Bool
  }

  /// libxml2's cap on one text node when `HTML_PARSE_HUGE` is not set (`XML_MAX_TEXT_LENGTH`).
  static let maxTextLength = 10_000_000

  /// The element names near which libxml2 keeps whitespace-only text (`allowPCData` in
  /// libxml2 2.9's HTMLparser.c, used by `areBlanks`).
  static let allowPCData: Set<String> = [
    "a", "abbr", "acronym", "address", "applet", "b", "bdo", "big",
    "blockquote", "body", "button", "caption", "center", "cite", "code",
    "dd", "del", "dfn", "div", "dt", "em", "font", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "i", "iframe", "ins", "kbd", "label", "legend",
    "li", "noframes", "noscript", "object", "p", "pre", "q", "s", "samp",
    "small", "span", "strike", "strong", "td", "th", "tt", "u", "var",
  ]

  private static let document = Parent(index: 0, copiesChildren: true, truncatesChildren: false, depth: 0, script: -1)

  let limits: ParseLimits
  let skipping: Set<String>
  /// Whether the parser's input is well-formed UTF-8 (see `HTMLPage.parse(validUTF8:)`): its
  /// text is then made into strings without validating it again.
  let validUTF8: Bool
  private(set) var tree = DOMTree()
  private(set) var scripts: [Script] = []
  private var open: [OpenElement] = []
  private var run: TextRun?
  private var runBytes: [UInt8] = []
  private var capped = false
  private var documentStart = DocumentStart.empty
  private var sawDoctype = false
  private var strictDoctype = false

  /// - Parameters:
  ///   - expectedBytes: the input's size, which bounds how many nodes to make room for
  ///   at once (growing the node array by doubling copies it each time).
  ///   - validUTF8: whether the input is known to be well-formed UTF-8.
  init(limits: ParseLimits, skipping: Set<String>, expectedBytes: Int = 0, validUTF8: Bool = false) {
    self.limits = limits
    self.skipping = skipping
    self.validUTF8 = validUTF8
    // About one node per 64 bytes of a typical page; more still grows the array.
    tree.nodes.reserveCapacity(min(limits.maxNodes, expectedBytes / 64) + 1)
  }

  /// How many elements are open (libxml2's `nodeNr`).
  var openCount: Int { open.count }

  /// Whether libxml2's tree builder would drop whitespace-only text arriving now: the
  /// tree-dependent half of `areBlanks` (the parser answers the rest itself).
  var whitespaceIsIgnorable: Bool {
    guard let top = open.last else { return false }
    if strictDoctype && top.isBody { return true }
    switch top.lastChild {
    case .none: return !top.tagAllowsWhitespace
    case .text: return false
    case .other(let allows): return !allows
    }
  }

  /// Describes an element name.
  /// - Parameters:
  ///   - tag: the name on the parser's stack, as written (lower-cased by the parser).
  ///   - name: the name libxml2's tree stores.
  func elementName(tag: String, name: String) -> ElementName {
    let nameAllows = Self.allowPCData.contains(name)
    return ElementName(
      name: name, tagAllowsWhitespace: tag == name ? nameAllows : Self.allowPCData.contains(tag),
      nameAllowsWhitespace: nameAllows, isBody: tag == "body", isScript: name == "script",
      isSkipped: skipping.contains(name))
  }

  /// An element starts, with its attributes in source order.
  mutating func startElement(_ element: ElementName, attributes: [DOMTree.Attribute]) {
    flushText()
    let parent: Parent
    if let top = open.last {
      parent = top.parent
    } else if case .element(let root) = documentStart {
      parent = root
    } else {
      parent = Self.document
    }
    if parent.truncatesChildren { tree.truncated = true }
    let depth = parent.depth + 1
    var index = -1
    if parent.copiesChildren {
      index = append(
        DOMTree.Node(
          name: element.name, text: "", attributes: attributes, parent: parent.index, children: [], depth: depth),
        under: parent.index)
    }
    var script = parent.script
    if element.isScript {
      let type = attributes.first { $0.name == "type" }?.value ?? ""
      scripts.append(Script(type: type, text: [], enclosing: parent.script))
      script = scripts.count - 1
    }
    let copiesContent = index >= 0 && !element.isSkipped
    let me = Parent(
      index: index, copiesChildren: copiesContent && depth < limits.maxDepth,
      truncatesChildren: copiesContent && depth >= limits.maxDepth, depth: depth, script: script)
    if open.isEmpty, case .empty = documentStart { documentStart = .element(me) }
    open.append(
      OpenElement(
        parent: me, tagAllowsWhitespace: element.tagAllowsWhitespace,
        nameAllowsWhitespace: element.nameAllowsWhitespace, isBody: element.isBody, lastChild: .none))
  }

  /// The innermost open element ends (libxml2 pops its node).
  mutating func endElement() {
    guard !open.isEmpty else { return }
    flushText()
    let ended = open.removeLast()
    if !open.isEmpty { open[open.count - 1].lastChild = .other(allowsWhitespace: ended.nameAllowsWhitespace) }
  }

  /// Text (`cdata` false) or a CDATA block (script and style content) arrives.
  /// - Returns: false when libxml2 would refuse it because the text node would exceed
  ///   `maxTextLength`; the caller then stops the parser as libxml2 does.
  mutating func text(_ bytes: UnsafeBufferPointer<UInt8>, cdata: Bool) -> Bool {
    guard !open.isEmpty else { return true }
    if let run, run.cdata == cdata {
      if run.length + bytes.count > Self.maxTextLength { return false }
    } else {
      flushText()
      let top = open[open.count - 1].parent
      if top.truncatesChildren { tree.truncated = true }
      run = TextRun(cdata: cdata, length: 0, parent: top)
      // libxml2 names no CDATA node, so beside one whitespace is dropped.
      open[open.count - 1].lastChild = cdata ? .other(allowsWhitespace: false) : .text
    }
    run?.length += bytes.count
    let parent = open[open.count - 1].parent
    if parent.copiesChildren && !capped { runBytes.append(contentsOf: bytes) }
    var s = parent.script
    while s >= 0 {
      scripts[s].text.append(contentsOf: bytes)
      s = scripts[s].enclosing
    }
    return true
  }

  /// A comment: not copied, but it ends the text node before it and is a child.
  mutating func comment() {
    flushText()
    if let top = open.last {
      if top.parent.truncatesChildren { tree.truncated = true }
    } else if case .empty = documentStart {
      documentStart = .other
    }
  }

  /// A processing instruction (`<?target ...?>`): like a comment, but whitespace tests see it.
  mutating func processingInstruction(target: String) {
    comment()
    if !open.isEmpty {
      open[open.count - 1].lastChild = .other(allowsWhitespace: Self.allowPCData.contains(target))
    }
  }

  /// A DOCTYPE. libxml2 keeps the first one, as the document's first child; an HTML 4.01
  /// strict one makes whitespace directly in `<body>` ignorable.
  mutating func doctype(publicID: String?) {
    guard !sawDoctype else { return }
    sawDoctype = true
    documentStart = .other
    if let id = publicID?.lowercased() {
      strictDoctype = id == "-//w3c//dtd html 4.01//en" || id == "-//w3c//dtd html 4//en"
    }
  }

  /// The tree, once parsing ended: the children lists are filled in here, each at its final
  /// size, rather than grown one append at a time while parsing.
  mutating func finish() -> DOMTree {
    flushText()
    let count = tree.nodes.count
    var childCount = [Int32](repeating: 0, count: count)
    for i in 1..<count { childCount[tree.nodes[i].parent] += 1 }
    for i in 0..<count where childCount[i] > 0 { tree.nodes[i].children.reserveCapacity(Int(childCount[i])) }
    // Children come after their parent and in document order: appending by index keeps that order.
    for i in 1..<count { tree.nodes[tree.nodes[i].parent].children.append(i) }
    return tree
  }

  /// Copies the text node being built, if its parent copies children and the node cap allows.
  private mutating func flushText() {
    guard let ended = run else { return }
    run = nil
    guard ended.parent.copiesChildren, !runBytes.isEmpty else { return }
    let node = DOMTree.Node(
      name: "", text: runBytes.withUnsafeBufferPointer { Self.string($0, validUTF8: validUTF8) }, attributes: [],
      parent: ended.parent.index,
      children: [], depth: ended.parent.depth + 1)
    _ = append(node, under: ended.parent.index)
    runBytes.removeAll(keepingCapacity: true)
  }

  /// The text of parser output: libxml2 hands on whole characters of its input and writes
  /// the ones it decodes (entities) as UTF-8, so from UTF-8 input its output is UTF-8.
  /// (Static, so that `SAXSession` calls it without copying the builder out of its property.)
  static func string(_ bytes: UnsafeBufferPointer<UInt8>, validUTF8: Bool) -> String {
    validUTF8 ? UnalignedBytes.string(validUTF8: bytes) : String(decoding: bytes, as: UTF8.self)
  }

  /// Appends a node unless the node cap is reached; at the cap the copy stops for good, as
  /// the tree walk does. (`consuming`: the node moves into the array; a borrowed one was
  /// copied, four retains and releases.)
  /// - Returns: the node's index, or -1.
  private mutating func append(_ node: consuming DOMTree.Node, under parent: Int) -> Int {
    if capped { return -1 }
    if tree.nodes.count >= limits.maxNodes {
      capped = true
      tree.truncated = true
      return -1
    }
    let index = tree.nodes.count
    // (The parent's `children` are filled in by `finish`.)
    tree.nodes.append(node)
    return index
  }
}
