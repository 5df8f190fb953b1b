import SKCmark
import Testing

/// Only the extensions the digest reader uses are on (issue #13, Medium 7): cmark-gfm's table
/// extension is quadratic on wide tables in Debian's 0.29.0.gfm.6 (CVE-2023-37463).
@Suite struct ExtensionTests {
  @Test func theTableExtensionIsOff() throws {
    let doc = try MarkdownParser.parse("| a | [x](https://example.com/t) |\n|---|---|\n| c | d |\n")
    func kinds(_ n: MarkdownNode) -> [MarkdownNode.Kind] { [n.kind] + n.children.flatMap(kinds) }
    let all = kinds(doc)
    #expect(!all.contains { if case .other(let t) = $0 { return t.hasPrefix("table") } else { return false } })
    // A link in what would have been a cell is still a link.
    #expect(all.contains(.link(url: "https://example.com/t", title: "")))
    // Autolink (bare URLs) and strikethrough (the repair format) stay on.
    let bare = kinds(try MarkdownParser.parse("see https://example.com/bare and ~~gone~~\n"))
    #expect(bare.contains(.link(url: "https://example.com/bare", title: "")))
    #expect(bare.contains(.other("strikethrough")))
  }
}
