import SKLibXML2
import Testing

/// libxml2 parsing through the wrapper: the tree copy, XPath, and hostile input.
struct HTMLDocumentTests {
  @Test func treeKeepsElementsTextAndDecodedAttributesInOrder() throws {
    let doc = try HTMLDocument.parse(
      bytes: Array("<p class=a>x<b>y</b><img data-src='u?a=1&amp;b=2'></p>".utf8), encoding: "UTF-8")
    let tree = doc.tree()
    let p = try #require(tree.elements(named: "p").first)
    #expect(tree.nodes[p].attribute("class") == "a")
    #expect(
      tree.descendants(of: p).map { tree.nodes[$0].name.isEmpty ? tree.nodes[$0].text : "<\(tree.nodes[$0].name)>" }
        == ["x", "<b>", "y", "<img>"])
    let img = try #require(tree.elements(named: "img").first)
    #expect(tree.nodes[img].attribute("data-src") == "u?a=1&b=2")
  }

  @Test func xpathStillFindsElements() throws {
    let doc = try HTMLDocument.parse(
      bytes: Array("<ul><li><a href='/a'>A</a></li><li><a href='/b'>B</a></li></ul>".utf8))
    #expect(doc.elements(xpath: "//a").map { $0.attributes["href"] } == ["/a", "/b"])
  }

  @Test func randomBytesAndNULsParseWithoutCrashing() throws {
    var rng = SystemRandomNumberGenerator()
    for size in [0, 1, 17, 4096, 200_000] {
      var bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &rng) }
      if size > 10 { bytes[5] = 0 }
      let doc = try HTMLDocument.parse(bytes: bytes)
      _ = doc.tree()
    }
  }

  @Test func hundredThousandNestedDivsStayWithinTheDepthLimit() throws {
    let html = String(repeating: "<div>", count: 100_000) + "deep" + String(repeating: "</div>", count: 100_000)
    let doc = try HTMLDocument.parse(bytes: Array(html.utf8), encoding: "UTF-8")
    let tree = doc.tree(limits: ParseLimits(maxDepth: 256, maxNodes: 500_000))
    #expect(tree.nodes.allSatisfy { $0.depth <= 256 })
    #expect(tree.nodes.count <= 500_000)
  }

  @Test func nodeLimitCutsTheCopyShort() throws {
    let html = String(repeating: "<p>a</p>", count: 10_000)
    let tree = try HTMLDocument.parse(bytes: Array(html.utf8)).tree(limits: ParseLimits(maxDepth: 256, maxNodes: 1000))
    #expect(tree.nodes.count == 1000)
    #expect(tree.truncated)
  }

  @Test func billionLaughsEntitiesAreNotExpanded() throws {
    var html = "<!DOCTYPE html [<!ENTITY lol \"lol\">"
    html += "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
    for i in 2...9 {
      html += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i - 1);", count: 10) + "\">"
    }
    html += "]><html><body><p>&lol9;</p></body></html>"
    let tree = try HTMLDocument.parse(bytes: Array(html.utf8), encoding: "UTF-8").tree()
    let total = tree.nodes.reduce(0) { $0 + $1.text.utf8.count }
    #expect(total < 10_000)
  }

  @Test func transcoderDecodesGB18030AndReplacesBadBytes() {
    #expect(Transcoder.utf8(from: [0xD6, 0xD0, 0xCE, 0xC4], charset: "GB18030") == Array("中文".utf8))
    #expect(Transcoder.utf8(from: [0xD6, 0xD0, 0xFF], charset: "GB18030", strict: true) == nil)
    #expect(Transcoder.utf8(from: [0x41], charset: "NO-SUCH-CHARSET") == nil)
  }
}
