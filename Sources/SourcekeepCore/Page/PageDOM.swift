import Foundation
import SKLibXML2
import SKSystem

/// Read-only queries over a `DOMTree` that the metadata, main-text and soft-404 code share.
///
/// Why a wrapper: the extractors ask the same questions (id, classes, visible text, is it
/// hidden) many times; answering them here keeps each extractor short and pointer-free.
struct PageDOM {
  let tree: DOMTree
  /// The page's scripts, read on demand (they are not copied into `tree`).
  let scripts: ScriptSource
  /// Element index by `id` attribute (first occurrence wins).
  let byID: [String: Int]
  /// Per node: what kind of element it is (`Kind` bits), computed once so that hot loops
  /// test bits instead of hashing tag names.
  let kinds: [UInt8]
  /// Per node: its element name as a `Tag`, so that hot loops compare one byte instead of
  /// two strings (a string comparison that fails is a call into the runtime).
  let tags: [Tag]

  /// The element names the extractors test by name; `other` is any other element, `text`
  /// a text run or the document node. (A raw-value enum is stored and compared as one byte.)
  enum Tag: String, CaseIterable {
    case text = "#text"
    case other = "#other"
    case a, address, article, aside, b, base, blockquote, body, br, caption, center, cite, code, dd, dfn, div, dl, dt
    case em, figcaption, figure, font, footer, form, h1, h2, h3, h4, h5, h6, head, header, html, i, img, kbd, li
    case link, main, meta, nav, noscript, ol, p, pre, samp, section, span, strong, sub, sup, table, td, th, time
    case title, tr, tt, ul
  }

  /// Element kinds as bits.
  enum Kind {
    static let invisible: UInt8 = 1
    static let block: UInt8 = 2
    static let boilerplate: UInt8 = 4
  }

  /// Kind bits and tag of an element name, looked up once per element.
  static let kindByName: [String: (kind: UInt8, tag: Tag)] = {
    var table: [String: (kind: UInt8, tag: Tag)] = [:]
    for t in Tag.allCases where t != .text && t != .other { table[t.rawValue] = (0, t) }
    for n in TextRenderer.invisible { table[n, default: (0, .other)].kind |= Kind.invisible }
    for n in TextRenderer.blocks { table[n, default: (0, .other)].kind |= Kind.block }
    for n in ArticleScorer.boilerplateTags { table[n, default: (0, .other)].kind |= Kind.boilerplate }
    return table
  }()

  init(tree: DOMTree, scripts: ScriptSource = ScriptSource()) {
    self.tree = tree
    self.scripts = scripts
    var ids: [String: Int] = [:]
    var kinds = [UInt8](repeating: 0, count: tree.nodes.count)
    var tags = [Tag](repeating: .text, count: tree.nodes.count)
    let table = Self.kindByName
    for i in tree.nodes.indices where !tree.nodes[i].name.isEmpty {
      let (kind, tag) = table[tree.nodes[i].name] ?? (0, .other)
      kinds[i] = kind
      tags[i] = tag
      if !tree.nodes[i].attributes.isEmpty, let id = tree.nodes[i].attribute("id"), ids[id] == nil { ids[id] = i }
      // `<noscript>` usually holds a tracking pixel or "enable JavaScript"; one with paragraphs
      // of text is the page's content for readers without scripts (the scripted copy is a
      // template we do not run), so it is visible.
      if tag == .noscript && Self.textLength(tree, below: i, atLeast: 200) {
        kinds[i] &= ~Kind.invisible
      }
    }
    byID = ids
    self.kinds = kinds
    self.tags = tags
  }

  /// Whether the text below `i` has at least `minimum` bytes that are not ASCII whitespace.
  static func textLength(_ tree: DOMTree, below i: Int, atLeast minimum: Int) -> Bool {
    var total = 0
    for d in tree.descendants(of: i) where tree.nodes[d].isText {
      for ch in tree.nodes[d].text.utf8 where ch > 0x20 { total += 1 }
      if total >= minimum { return true }
    }
    return false
  }

  /// Whether the element's content is never visible (script, style, ...).
  func isInvisible(_ i: Int) -> Bool { kinds[i] & Kind.invisible != 0 }
  /// Whether the element starts and ends a block of text.
  func isBlock(_ i: Int) -> Bool { kinds[i] & Kind.block != 0 }

  func attr(_ i: Int, _ name: String) -> String? { tree.nodes[i].attribute(name) }

  func classes(_ i: Int) -> [Substring] {
    (attr(i, "class") ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
  }

  func hasClass(_ i: Int, _ c: String) -> Bool { classes(i).contains { $0 == c } }

  /// All elements named `name` in document order.
  func elements(_ name: String) -> [Int] {
    guard let tag = Tag(rawValue: name), tag != .text, tag != .other else { return tree.elements(named: name) }
    return elements(tag)
  }

  /// All elements with the tag, in document order.
  func elements(_ tag: Tag) -> [Int] { tags.indices.filter { tags[$0] == tag } }

  /// Elements with the class token `c`, in document order.
  func elements(withClass c: String) -> [Int] {
    tree.nodes.indices.filter { i in
      guard let cls = tree.nodes[i].attribute("class"), cls.includes(c) else { return false }
      return hasClass(i, c)
    }
  }

  /// Whether `ancestor` is `i` or one of its ancestors.
  func contains(_ ancestor: Int, _ i: Int) -> Bool {
    var p = i
    while p >= 0 {
      if p == ancestor { return true }
      p = tree.nodes[p].parent
    }
    return false
  }

  /// Whether the element is hidden by markup alone (`hidden`, `display:none`, `visibility:hidden`).
  func isHidden(_ i: Int) -> Bool {
    if tree.nodes[i].attributes.isEmpty { return false }
    if tree.nodes[i].attribute("hidden") != nil { return true }
    if let style = tree.nodes[i].attribute("style") {
      let s = style.lowercased().filter { $0 != " " }
      if s.includes("display:none") || s.includes("visibility:hidden") { return true }
    }
    return false
  }

  /// All text below `i` (scripts included), whitespace collapsed: what `textContent` gives.
  func rawText(_ i: Int) -> String {
    var out = ""
    if tree.nodes[i].isText { return collapse(tree.nodes[i].text) }
    for d in tree.descendants(of: i) where tree.nodes[d].isText { out += tree.nodes[d].text }
    return collapse(out)
  }

  /// Visible text below `i`: no script/style/template, no hidden elements; whitespace collapsed.
  func visibleText(_ i: Int, ignoringOwnStyle: Bool = true) -> String {
    var out = ""
    var stack: [Int] = tree.nodes[i].children.reversed()
    while let j = stack.popLast() {
      let tag = tags[j]
      if tag == .text {
        out += tree.nodes[j].text
        continue
      }
      if isInvisible(j) || isHidden(j) { continue }
      if tag == .br { out += " " }
      stack.append(contentsOf: tree.nodes[j].children.reversed())
    }
    return collapse(out)
  }

  /// Text of every `<script>` element, concatenated (WeChat keeps its metadata there).
  func scriptText() -> String { scripts.all }
  /// Texts of the JSON-LD blocks.
  func jsonLDTexts() -> [String] { scripts.jsonLD }
}

/// Script texts loaded once, on first use, from the parsed document or from the tree.
///
/// A class so that the copy in every `PageDOM` shares one cache; not Sendable, like the
/// document it reads from: it lives for one extraction on one thread.
final class ScriptSource {
  private let loadAll: () -> [String]
  private let loadJSONLD: () -> [String]
  private(set) lazy var all: String = loadAll().joined(separator: "\n")
  private(set) lazy var jsonLD: [String] = loadJSONLD()

  /// Scripts read by the given loaders.
  init(all: @escaping () -> [String], jsonLD: @escaping () -> [String]) {
    loadAll = all
    loadJSONLD = jsonLD
  }

  /// No scripts (tests and trees without a document).
  convenience init() { self.init(all: { [] }, jsonLD: { [] }) }
}

/// Collapses whitespace runs (including NBSP and ideographic space) to one space, trims, and
/// removes the invisible characters that sit inside words: soft hyphen U+00AD (`&shy;`),
/// zero-width space U+200B, word joiner U+2060 and BOM U+FEFF, so that "Ita&shy;li&shy;ens"
/// reads "Italiens" for search and comparison. The zero-width non-joiner and joiner
/// (U+200C/U+200D) are kept: they are spelling in Persian and Indic scripts (می‌خواهم) and glue
/// emoji sequences together. Works on UTF-8 bytes because it runs on every text of every page.
///
/// The result is in Unicode normalisation form C (composed), as the web's own standards ask
/// (W3C Character Model), so that the same word written decomposed ("e" + U+0301, Bengali
/// "য" + nukta) or composed matches in search and drift comparison. Text with no scalar at or
/// above U+0300 is already NFC, and is not normalised.
func collapse(_ s: String) -> String {
  var input = s
  var mayDecompose = false
  let collapsed = input.withUTF8 { b -> String in
    let n = b.count
    var out = [UInt8]()
    out.reserveCapacity(n)
    var pending = false
    var i = 0
    while i < n {
      // A run that needs nothing is copied at once: most of an article's bytes (see `plain`).
      var end = i
      while end < n, plain(b[end]) { end += 1 }
      if end > i {
        if pending {
          out.append(0x20)
          pending = false
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<end]))
        i = end
        continue
      }
      let c = b[i]
      var spaceLength = 0
      if c == 0x20 || (c >= 0x09 && c <= 0x0D) {
        spaceLength = 1
      } else if c < 0x80 {
        // ASCII: neither space nor invisible.
      } else if c == 0xC2, i + 1 < n, b[i + 1] == 0xA0 || b[i + 1] == 0xAD {
        if b[i + 1] == 0xAD {
          i += 2
          continue
        }
        spaceLength = 2
      } else if c == 0xE3, i + 2 < n, b[i + 1] == 0x80, b[i + 2] == 0x80 {
        spaceLength = 3
      } else if i + 2 < n,
        (c == 0xE2
          && ((b[i + 1] == 0x80 && b[i + 2] == 0x8B) || (b[i + 1] == 0x81 && b[i + 2] == 0xA0)))
          || (c == 0xEF && b[i + 1] == 0xBB && b[i + 2] == 0xBF)
      {
        i += 3
        continue
      }
      if spaceLength > 0 {
        pending = !out.isEmpty
        i += spaceLength
        continue
      }
      if pending {
        out.append(0x20)
        pending = false
      }
      if c >= 0xCC && !mayDecompose && !nfcStable(b, at: i) { mayDecompose = true }
      out.append(c)
      i += 1
    }
    // Whole scalars of a String were dropped or copied, so `out` is UTF-8.
    return UnalignedBytes.string(validUTF8: out)
  }
  return mayDecompose ? collapsed.precomposedStringWithCanonicalMapping : collapsed
}

/// Bytes `collapse` copies as they are: printable ASCII, UTF-8 continuation bytes (their lead
/// byte decided already), and the lead bytes of U+4000–U+9FFF (CJK Extension A, Yijing
/// hexagrams and the unified ideographs: nothing NFC changes or composes). Spaces, controls,
/// the invisible and the space characters `collapse` removes or folds, and every other lead
/// byte (which may need normalising) take the byte-by-byte path.
@inline(__always) private func plain(_ c: UInt8) -> Bool {
  (c >= 0x21 && c <= 0x7E) || (c >= 0x80 && c <= 0xBF) || (c >= 0xE4 && c <= 0xE9)
}

/// Whether the scalar whose UTF-8 lead byte is at `i` (U+0300 or above) is one that NFC
/// never changes and never composes onto what precedes it, in the ranges that make up most
/// non-Latin text: Cyrillic letters, CJK ideographs and punctuation, kana (not the voicing
/// marks U+3099/U+309A), Hangul syllables, fullwidth forms, and general punctuation such as
/// curly quotes and dashes (not the singletons U+2000/U+2001, U+2126, U+212A/B, U+2329/A, the
/// combining marks for symbols or U+2ADC). Anything else is normalised. A quick check, so that
/// the normalisation runs only on text that may need it.
@inline(__always) private func nfcStable(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
  let c = b[i]
  guard i + 1 < b.count else { return false }
  let d = b[i + 1]
  switch c {
  case 0xD0, 0xD1, 0xD3: return true  // U+0400–U+04FF but U+0483–U+0489
  case 0xD2: return d < 0x83 || d > 0x89
  case 0xE2:
    guard i + 2 < b.count else { return false }
    let e = b[i + 2]
    if d == 0x80 { return e > 0x81 }
    return d != 0x83 && d != 0x84 && d != 0x8C && d != 0xAB
  case 0xE3:
    guard i + 2 < b.count else { return false }
    return !(d == 0x82 && (b[i + 2] == 0x99 || b[i + 2] == 0x9A))
  case 0xE4...0xE9, 0xEB, 0xEC: return true  // U+4000–U+9FFF, U+B000–U+CFFF
  case 0xEA: return d >= 0xB0  // U+AC00–U+AFFF
  case 0xED: return d < 0x9E  // U+D000–U+D77F
  case 0xEF: return d >= 0xBC  // U+FF00–U+FFFF
  default: return false
  }
}

@inline(__always) func isSpace(_ ch: Unicode.Scalar) -> Bool {
  switch ch.value {
  case 0x20, 0x09, 0x0A, 0x0D, 0x0C, 0x0B, 0xA0, 0x3000, 0x200B, 0xFEFF: return true
  default: return false
  }
}
