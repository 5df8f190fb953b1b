import Testing

@testable import SourcekeepCore

/// Header names compare equal but for the case of ASCII letters (RFC 9110 §5.1), and nothing
/// else: punctuation that differs by 0x20 in its byte value, other scripts' case and lengths.
@Suite struct HeaderNameTests {
  @Test func asciiLettersFoldAndNothingElseDoes() {
    #expect("Content-Length".equalsHeaderName("content-length"))
    #expect("WARC-Type".equalsHeaderName("warc-TYPE"))
    #expect("X-Archive-Orig-Content-Length".equalsHeaderName("x-archive-orig-content-length"))
    #expect("".equalsHeaderName(""))
    #expect(!"Content-Length".equalsHeaderName("Content-Lengths"))
    #expect(!"Content-Length".equalsHeaderName("Content_Length"))
    #expect(!"a[b".equalsHeaderName("a{b"), "[ and { differ by 0x20 but are not letters")
    #expect(!"a@b".equalsHeaderName("a`b"))
    #expect(!"Été".equalsHeaderName("été"), "only ASCII letters fold")
  }

  @Test func lookupsUseIt() {
    let head = HTTPMessageHead(startLine: "HTTP/1.1 200 OK", fields: [("content-TYPE", "text/html")])
    #expect(head.value("Content-Type") == "text/html")
    #expect(head.value("Content-Typ") == nil)
    let record = WARCRecord(headers: [("warc-type", "response")], block: [])
    #expect(record.header("WARC-Type") == "response")
    #expect(record.type == .response)
  }
}
