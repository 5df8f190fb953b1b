import SKLibXML2
import Testing

@Suite struct HTMLDocumentLinkTests {
  @Test func libxml2ParsesASnippetAndXPathFindsElements() throws {
    let html = Array(
      #"<html><head><title>T</title></head><body><h2>Entry</h2><p><a href="/x?a=1&amp;b=2">link</a></body>"#.utf8)
    let doc = try HTMLDocument.parse(bytes: html, url: "http://example.com/")
    let links = doc.elements(xpath: "//a[@href]")
    #expect(links.count == 1)
    #expect(links[0].attributes["href"] == "/x?a=1&b=2")
    #expect(links[0].text == "link")
    #expect(doc.elements(xpath: "//h2").first?.text == "Entry")
  }

  @Test func brokenMarkupIsRecoveredNotRejected() throws {
    let doc = try HTMLDocument.parse(bytes: Array("<p>unclosed <b>bold <a href=x>a".utf8))
    #expect(doc.elements(xpath: "//a").count == 1)
  }
}
