/// Bounds on what one parse may turn into Swift values.
///
/// Hostile pages (100,000 nested `<div>`s, millions of empty elements) must cost bounded time
/// and memory. libxml2 itself stops at 256 levels of nesting (`xmlParserMaxDepth`, since
/// `HTML_PARSE_HUGE` is never set); these limits bound the Swift copy of the tree.
public struct ParseLimits: Sendable, Equatable {
  /// Deepest element level copied into a `DOMTree`; deeper subtrees are dropped. Default 256.
  public var maxDepth: Int
  /// Most nodes (elements and text) copied into a `DOMTree`; the rest is dropped. Default 500,000.
  public var maxNodes: Int
  /// Most input bytes parsed; the rest of a larger page is cut off before libxml2 sees it,
  /// because parse time grows with the input (and `HTMLDocument`'s libxml2 tree costs up to
  /// ~20 bytes of memory per input byte on element-dense input; `HTMLPage` builds no such
  /// tree). Default 32 MiB (above the fetcher's default body cap of 20 MB).
  public var maxInputBytes: Int

  /// Limits with the stated defaults.
  public init(maxDepth: Int = 256, maxNodes: Int = 500_000, maxInputBytes: Int = 32 << 20) {
    self.maxDepth = maxDepth
    self.maxNodes = maxNodes
    self.maxInputBytes = maxInputBytes
  }
}
