import SKCmark
import Testing

@Suite struct MarkdownTests {
  @Test func cmarkRendersALinkToHTML() throws {
    let html = try MarkdownParser.renderHTML("[量子位](https://mp.weixin.qq.com/s/abc)")
    #expect(html.contains(#"<a href="https://mp.weixin.qq.com/s/abc">量子位</a>"#))
  }

  @Test func autolinkExtensionTurnsBareURLsIntoLinks() throws {
    let doc = try MarkdownParser.parse("see https://example.com/a?b=1 now")
    let links = doc.children.flatMap(\.children).compactMap { node -> String? in
      if case .link(let url, _) = node.kind { return url }
      return nil
    }
    #expect(links == ["https://example.com/a?b=1"])
  }

  @Test func treeKeepsHeadingLevelsTextAndLines() throws {
    let doc = try MarkdownParser.parse("# Title\n\n## Entry **bold**\n\ntext\n")
    #expect(doc.children.count == 3)
    #expect(doc.children[1].kind == .heading(level: 2))
    #expect(doc.children[1].plainText == "Entry bold")
    #expect(doc.children[1].line == 3)
  }

  @Test func deepNestingIsBoundedNotACrash() throws {
    let deep = String(repeating: ">", count: 20_000) + " x\n"
    var limits = MarkdownParser.Limits()
    limits.maxDepth = 64
    let doc = try MarkdownParser.parse(deep, limits: limits)
    func depth(_ n: MarkdownNode) -> Int { 1 + (n.children.map(depth).max() ?? 0) }
    #expect(depth(doc) <= 65)
  }
}
