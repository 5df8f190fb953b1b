import Foundation
import SKLibXML2
import SKZlib
import SourcekeepTestSupport
import Testing

/// `HTMLPage` (one SAX pass) must give exactly the tree and scripts that `HTMLDocument`
/// (libxml2's tree, copied) gives: on every fixture page and on hostile input, for the
/// production settings and for settings that hit the limits.
///
/// These also guard a libxml2 upgrade: the SAX builder mirrors libxml2 2.9's tree builder.
struct SAXTreeEquivalenceTests {
  /// How `tree` and `parse` are called.
  struct Setting: CustomStringConvertible {
    var encoding: String?
    var limits: ParseLimits
    var skipping: Set<String>
    var description: String {
      "encoding \(encoding ?? "nil"), depth \(limits.maxDepth), nodes \(limits.maxNodes), skipping \(skipping.sorted())"
    }
  }

  /// What PageExtractor uses, what the defaults give, and limits small enough to cut pages.
  static let settings: [Setting] = [
    Setting(encoding: "UTF-8", limits: ParseLimits(), skipping: ["script", "style"]),
    Setting(encoding: nil, limits: ParseLimits(), skipping: []),
    Setting(encoding: "UTF-8", limits: ParseLimits(maxDepth: 7, maxNodes: 600), skipping: ["script", "style"]),
    Setting(encoding: nil, limits: ParseLimits(maxDepth: 3, maxNodes: 40), skipping: ["div"]),
  ]

  /// The first difference between the two paths, or nil when they agree.
  static func difference(_ bytes: [UInt8], _ setting: Setting) throws -> String? {
    let reference = try HTMLDocument.parse(bytes: bytes, encoding: setting.encoding)
    let expected = reference.tree(limits: setting.limits, skippingContentOf: setting.skipping)
    let page = try HTMLPage.parse(
      bytes: bytes, encoding: setting.encoding, limits: setting.limits, skippingContentOf: setting.skipping)
    if page.tree != expected {
      let a = expected.nodes
      let b = page.tree.nodes
      let i = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
      func show(_ nodes: [DOMTree.Node]) -> String {
        guard i < nodes.count else { return "none" }
        let n = nodes[i]
        return "\(n.name.isEmpty ? "text \(n.text.prefix(60).debugDescription)" : "<\(n.name)> \(n.attributes)") "
          + "parent \(n.parent) depth \(n.depth) children \(n.children.count)"
      }
      return "\(setting): tree \(a.count) nodes truncated \(expected.truncated), SAX \(b.count) nodes truncated "
        + "\(page.tree.truncated); first difference at node \(i): tree \(show(a)) | SAX \(show(b))"
    }
    if page.scriptTexts() != reference.scriptTexts() { return "\(setting): script texts differ" }
    if page.scriptTexts(typeContaining: "ld+json") != reference.scriptTexts(typeContaining: "ld+json") {
      return "\(setting): JSON-LD script texts differ"
    }
    return try trustedDifference(bytes, setting)
  }

  /// PageExtractor's promise (`validUTF8: true`): on input made UTF-8 as `Charset.decode` makes
  /// it (repaired, NULs dropped), the tree built without validating text again is the same.
  /// In a debug build every string made that way is still validated, so parser output that is
  /// not UTF-8 stops the test.
  static func trustedDifference(_ bytes: [UInt8], _ setting: Setting) throws -> String? {
    guard setting.encoding == "UTF-8" else { return nil }
    let utf8 = Array(String(decoding: bytes, as: UTF8.self).utf8).filter { $0 != 0 }
    let checked = try HTMLPage.parse(
      bytes: utf8, encoding: "UTF-8", limits: setting.limits, skippingContentOf: setting.skipping)
    let trusted = try HTMLPage.parse(
      bytes: utf8, encoding: "UTF-8", limits: setting.limits, skippingContentOf: setting.skipping, validUTF8: true)
    if trusted.tree != checked.tree { return "\(setting): the tree of known-valid UTF-8 differs" }
    if trusted.scriptTexts() != checked.scriptTexts() { return "\(setting): script texts of known-valid UTF-8 differ" }
    return nil
  }

  static func expectSame(_ bytes: [UInt8], _ label: String, settings: [Setting] = settings) throws {
    for setting in settings {
      if let diff = try difference(bytes, setting) { Issue.record("\(label): \(diff)") }
    }
  }

  static func files(in dir: URL, suffix: String) -> [URL] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
    return names.filter { $0.hasSuffix(suffix) }.sorted().map { dir.appendingPathComponent($0) }
  }

  @Test func fixturePagesGiveTheSameTreeBothWays() throws {
    let pages = Self.files(in: TestFixtures.url("pages"), suffix: ".html")
    #expect(pages.count == (try FixtureSite().pages.count))
    for url in pages {
      try Self.expectSame(Array(try Data(contentsOf: url)), url.lastPathComponent)
    }
  }

  /// The extraction benchmark's pages live outside the repository: set
  /// `SOURCEKEEP_BENCH_HTML` to their folder (`*.html.gz`) to run this one.
  static let benchPages = ProcessInfo.processInfo.environment["SOURCEKEEP_BENCH_HTML"]

  @Test(.enabled(if: benchPages != nil, "SOURCEKEEP_BENCH_HTML names the benchmark pages"))
  func benchmarkPagesGiveTheSameTreeBothWays() throws {
    let pages = Self.files(in: URL(fileURLWithPath: Self.benchPages ?? ""), suffix: ".html.gz")
    #expect(!pages.isEmpty)
    for url in pages {
      let bytes = try Inflater.decode(Array(try Data(contentsOf: url)))
      try Self.expectSame(bytes, url.lastPathComponent)
    }
  }

  /// Markup that takes libxml2's recovery, limit and whitespace paths.
  static let hostile: [(String, [UInt8])] = {
    var cases: [(String, String)] = [
      ("empty", ""),
      ("blank", "  \n\t "),
      ("lone <", "<"),
      ("unclosed tags", "<p>unclosed <b>bold <a href=x>a"),
      ("unclosed attribute at the end", "<div><p class=\"x"),
      ("start tag cut by the end", "<div><span a=1"),
      ("implied ends", "<ul><li>a<li>b</ul><dl><dt>t<dd>d</dl><p>one<p>two"),
      (
        "table soup",
        "<table><div>x</div><tr>text<td>1</td> <td> 2 </td></tr> <p>after</table> <table> <tr> <td> x </td> </tr> </table>"
      ),
      ("table cells without rows", "<table><td>a<td>b<tr><th>h</table><caption>c"),
      ("entities", "<p>&amp; &lt; &nbsp;&copy; &#32; &#x20;&#10; &unknown; &#0; &#xFFFFFF; & &#65 &#x41</p>"),
      ("blank character references", "<ul>&#32;<li>a</li>&#10;<li>b</li></ul><p>&#32;<b>x</b>&#32;<br>&#9;<img></p>"),
      ("script with an end tag inside", "<div><script>if(a</div>b){x='</p>'}</script>text</div>"),
      ("JSON-LD", #"<head><script type="application/ld+json">{"@type":"NewsArticle"}</script></head><body>x"#),
      ("script never closed", "<body><p>a<script>var x = '<p>never closed"),
      ("style and script in body", "<body><style>p{}</style><p>a</p><script>1</script> <script src=x></script></body>"),
      ("whitespace in lists", "<ul> <li>a</li> <li>b</li> </ul>\n<ol>\n<li>x</li>\n</ol>"),
      ("whitespace after void elements", "<div><img> <br> text <hr> </div><p>x <br> y</p>"),
      ("whitespace beside comments", "<ul>x<!--c--> <li>a</li><!--d--> <li>b</li></ul><div><!--e--> </div>"),
      (
        "strict doctype",
        "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\"><html><body> <p>a</p> text <div> </div> </body></html>"
      ),
      ("two doctypes", "<!DOCTYPE html><!doctype HTML PUBLIC \"-//W3C//DTD HTML 4//EN\"><body> <p>a</p> </body>"),
      ("misplaced doctype", "<html><body><p>a</p><!DOCTYPE html></body></html><p>after</p>"),
      ("processing instructions", "<?xml version=\"1.0\"?><p>a <?php echo 1 ?> <b>c</b><?b x?> <i>d</i></p>"),
      ("text after the document", "<html><body>a</body></html><p>after</p> tail"),
      ("element after the document under a doctype", "<!DOCTYPE html><html></html><p>after</p><div>more</div>"),
      ("element after the document under a comment", "<!-- c --><html></html><div>x</div> y"),
      ("comment after the root", "<html><body>a</body></html><!-- c --><p>x</p>"),
      ("prefixed names", "<o:p>x</o:p><x:script>a<b>c</b></x:script><fb:like a=1/><a:b:c>d</a:b:c><z:>e</z:>"),
      ("misplaced html, head, body", "<html><body><body class=x><html lang=en><head><title>t</title><p>x</body>y"),
      ("boolean attributes", "<input checked disabled foo><option selected=selected>o<select multiple>"),
      ("duplicate attributes", "<p id=a id=b class=c CLASS=d>x</p>"),
      ("self-closed elements", "<div/>a<p/>b<br/>c<span/>d"),
      ("frames", "<frameset><frame src=a><noframes>n</noframes></frameset>"),
      ("head content after body", "<body>x</body><title>late</title><meta charset=utf-8><style>s</style>"),
      ("meta charset switch", "<meta charset=\"iso-8859-1\"><p>caf\u{e9} ok</p>"),
      (
        "long whitespace before a tag",
        "<ul>" + String(repeating: " ", count: 2500) + "<li>a</li>" + String(repeating: "\n", count: 1001) + "</ul>"
      ),
      ("long text", "<p>" + String(repeating: "word ", count: 3000) + "</p>"),
      ("long script", "<script>" + String(repeating: "var a=1;", count: 2000) + "</script>"),
      ("300 nested divs with text", String(repeating: "<div>t", count: 300) + String(repeating: "</div>", count: 300)),
      ("nested inline formatting", String(repeating: "<b><i>", count: 200) + "x" + "<p>y"),
      ("svg", "<svg><style>.a{}</style><g><rect/></g><text>t</text></svg>"),
      ("template and noscript", "<template><p>t</p></template><noscript><img src=x></noscript>"),
    ]
    // Raw text past libxml2's first piece of 1,000 characters, which the session may take at once.
    let code = String(repeating: "if(a<b&&c>d){x='</div></scr ipt><//'}\n", count: 60)
    cases += [
      ("long script with other end tags", "<div><script>\(code)</script><p>after</p></div>"),
      ("long script closed in capitals", "<script type=module>\(code)</SCRIPT ><p>after"),
      ("long script closed by a longer name", "<script>\(code)</scriptx>tail<p>after"),
      ("long style", "<style>\(String(repeating: "p{color:red}</styl e>\n", count: 80))</style><p>after"),
      ("long script with CRLF", "<script>\(String(repeating: "var a=1;\r\n", count: 300))</script>x"),
      ("long script with a lone CR", "<script>\(String(repeating: "var a=1;\r", count: 300))</script>x"),
      ("long script with U+0001", "<script>\(code)\u{1}\(code)</script><p>x"),
      ("long script with a form feed", "<script>\(code)\u{C}\(code)</script><p>x"),
      ("long script with U+001F", "<script>\(code)\u{1F}\(code)</script><p>x"),
      ("long script with U+FFFE", "<script>\(code)\u{FFFE}\(code)</script><p>x"),
      ("long script with U+FFFF", "<script>\(code)a\u{FFFF}\(code)</script><p>x"),
      ("long script with U+FFFD", "<script>\(code)\u{FFFD}\u{FFEF}\(code)</script><p>x"),
      ("long CJK and emoji script", "<script>var t='\(String(repeating: "中文😀a", count: 700))'</script><p>x"),
      ("script of exactly one piece", "<script>\(String(repeating: "a", count: 1000))</script><p>x"),
      ("script one past a piece", "<script>\(String(repeating: "a", count: 1001))</script><p>x"),
      ("script with an emoji last in its piece", "<script>\(String(repeating: "a", count: 999))😀b</script><p>x"),
      ("long script never closed", "<p>a<script>\(code)"),
      ("long script closed at the very end", "<script>\(code)</script"),
      ("long script holding its end tag in a comment", "<script><!--\(code)</script>--></script><p>x"),
      ("two long scripts and a style", "<script>\(code)</script><style>\(code)</style><script>\(code)</script>"),
      ("long script in svg", "<svg><script>\(code)</script><text>t</text></svg>"),
      ("long script in a skipped div", "<div><script>\(code)</script></div>"),
    ]
    cases.append(("50,000 empty divs", String(repeating: "<div></div>", count: 50_000)))
    cases.append(
      ("100,000 nested divs then more", String(repeating: "<div>", count: 100_000) + "deep" + "<p>after</p>"))
    var out = cases.map { ($0.0, Array($0.1.utf8)) }
    out.append(
      ("invalid UTF-8 bytes", Array("<p>a".utf8) + [0xFF, 0xC0, 0x80, 0xED, 0xA0, 0x80] + Array(" b</p>".utf8)))
    out.append(("truncated UTF-8 sequence", Array("<p>x".utf8) + [0xE0, 0x80, 0x41] + Array("<b>\u{4E2D}</b>".utf8)))
    out.append(("NUL in text", Array("<p>a".utf8) + [0] + Array("b</p><p>c</p>".utf8)))
    out.append(("NUL in a start tag", Array("<div><p a=1".utf8) + [0] + Array(" b=2>x</p></div>".utf8)))
    out.append(("NUL first", [0] + Array("<p>x</p>".utf8)))
    out.append(("NUL in a script", Array("<script>a".utf8) + [0] + Array("b</script><p>c".utf8)))
    out.append(("UTF-16 BOM", [0xFF, 0xFE] + Array("<p>x</p>".utf8)))
    return out
  }()

  @Test(arguments: 0..<hostile.count) func hostileInputGivesTheSameTreeBothWays(_ i: Int) throws {
    try Self.expectSame(Self.hostile[i].1, Self.hostile[i].0)
  }

  @Test func randomBytesGiveTheSameTreeBothWays() throws {
    var rng = SystemRandomNumberGenerator()
    let alphabet = Array("<>/=\"' &;#!-?abdiplrstuvx:\n\t".utf8) + [0, 0x80, 0xC3, 0xA9, 0xFF]
    for size in [1, 17, 300, 5000] {
      for _ in 0..<20 {
        let bytes = (0..<size).map { _ in alphabet.randomElement(using: &rng)! }
        try Self.expectSame(bytes, "random \(bytes)")
      }
    }
  }

  /// Script and style content made of near end tags, the characters libxml2 drops from raw
  /// text and multi-byte characters, running past libxml2's pieces of 1,000 characters; now
  /// and then a real end tag (of either element, in either case) ends it early.
  @Test func randomRawTextGivesTheSameTreeBothWays() throws {
    var rng = SystemRandomNumberGenerator()
    let parts = [
      "<", "/", "</", "</s", "</sc", "</scrip", "</styl", "</ script", "script", "style", "a", "\n", "\r",
      "\t", "中", "😀", "\u{FFFD}", "é", ">", "<!--", "-->", "x", "<p>", "</div>", "&amp;",
    ]
    let endTags = ["</script>", "</SCRIPT", "</style>", "</StYlE "]
    // Characters libxml2 drops from raw text: at most one kind per page, now and then.
    let dropped = ["\u{1}", "\u{8}", "\u{FFFE}", "\u{FFFF}"]
    for size in [400, 990, 1_500, 3_000] {
      for round in 0..<16 {
        let element = Bool.random(using: &rng) ? "script" : "style"
        var pieces = (0..<size).map { _ in
          Int.random(in: 0..<600, using: &rng) == 0
            ? endTags.randomElement(using: &rng)! : parts.randomElement(using: &rng)!
        }
        if round % 4 == 0 {
          pieces[Int.random(in: size / 2..<size, using: &rng)] = dropped[(round / 4) % dropped.count]
        }
        let body = pieces.joined()
        let html = "<p>a</p><\(element)>\(body)</\(element)><p>after</p>\(body)"
        try Self.expectSame(Array(html.utf8), "random raw text \(html.debugDescription)")
      }
    }
  }

  @Test func libxml2sOwnDepthLimitHoldsWhenParseLimitsAllowMore() throws {
    let html = Array((String(repeating: "<div>", count: 400) + "deep<p>after</p>").utf8)
    let setting = Setting(encoding: "UTF-8", limits: ParseLimits(maxDepth: 1000), skipping: [])
    try Self.expectSame(html, "400 nested divs", settings: [setting])
    let tree = try HTMLPage.parse(bytes: html, encoding: "UTF-8", limits: setting.limits).tree
    #expect(tree.nodes.map(\.depth).max() == 257)
    #expect(!tree.nodes.contains { $0.text == "deep" })
  }

  @Test func aTextNodePastTenMillionBytesStopsBothParsersAtTheSamePlace() throws {
    let html = Array(("<body><p>a</p><p>" + String(repeating: "x", count: 10_000_500) + "</p><p>after</p>").utf8)
    try Self.expectSame(html, "huge text", settings: [Self.settings[0]])
    let page = try HTMLPage.parse(bytes: html, encoding: "UTF-8")
    #expect(!page.tree.nodes.contains { $0.text == "after" })
  }

  @Test func aScriptPastTenMillionBytesStopsBothParsersAtTheSamePlace() throws {
    let html = Array(("<body><script>" + String(repeating: "x=1;", count: 2_500_200) + "</script><p>after</p>").utf8)
    try Self.expectSame(html, "huge script", settings: [Self.settings[0]])
    let page = try HTMLPage.parse(bytes: html, encoding: "UTF-8", validUTF8: true)
    #expect(!page.tree.nodes.contains { $0.text == "after" })
    #expect(page.scriptTexts().first?.utf8.count ?? 0 <= 10_000_000)
  }
}
