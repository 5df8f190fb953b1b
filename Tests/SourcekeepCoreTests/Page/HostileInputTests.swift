import SKLibXML2
import SourcekeepCore
import Testing

/// Hostile pages through the whole extractor: they must finish and yield facts, not crash.
/// (Time and memory are measured by hand and reported, not asserted.)
struct HostileInputTests {
  @Test func aFiftyMegabytePageIsExtracted() throws {
    let para = "<p>" + String(repeating: "Lorem ipsum dolor sit amet, consectetur adipiscing. ", count: 20) + "</p>\n"
    var html = "<html><head><title>Big</title></head><body><article>"
    let count = 50_000_000 / para.utf8.count
    html.reserveCapacity(50_100_000)
    for _ in 0..<count { html += para }
    html += "</article></body></html>"
    let f = try PageExtractor().extract(body: Array(html.utf8), url: "https://example.com/big")
    #expect(f.title == "Big")
    #expect(f.text.count > 1_000_000)
  }

  @Test func deepNestingInvalidUTF8AndNULsYieldFacts() throws {
    let deep = String(repeating: "<div>", count: 100_000) + "<p>deep text</p>"
    var bytes = Array(deep.utf8)
    bytes += [0xC3, 0x28, 0x00, 0xFF, 0x00] + Array("<title>t\u{0}x</title>".utf8)
    let f = try PageExtractor().extract(body: bytes, url: nil)
    #expect(!f.blocked)
  }

  @Test func inputBeyondTheByteLimitIsNotParsed() throws {
    let html = "<title>early</title>" + String(repeating: " ", count: 5000) + "<h1>late</h1>"
    let f = try PageExtractor(limits: ParseLimits(maxInputBytes: 1000)).extract(body: Array(html.utf8))
    #expect(f.title == "early")
    #expect(!f.text.contains("late"))
  }

  @Test func randomBytesYieldFacts() throws {
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<20 {
      let bytes = (0..<Int.random(in: 0...50_000, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
      _ = try PageExtractor().extract(body: bytes, url: "https://example.com/")
    }
  }
}
