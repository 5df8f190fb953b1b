import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SourcekeepCore
import Testing

@testable import SourcekeepWeb

/// The `im_` modifier (docs/design.md#web-view): an archived page's images are served from the
/// archive under `/web/<ts>im_/<url>` with their archived bytes and content type, and the copy
/// page points at them; an image the capture did not archive is a note, not a broken `<img>`.
@Suite("Image replay", .serialized)
struct ImageReplayTests {
  /// `src="…"` of every `<img>` in `html`, unescaped.
  static func imageSources(_ html: String) -> [String] {
    html.components(separatedBy: "<img ").dropFirst().compactMap { tag in
      guard let start = tag.range(of: "src=\""), let end = tag[start.upperBound...].firstIndex(of: "\"") else {
        return nil
      }
      return String(tag[start.upperBound..<end]).replacingOccurrences(of: "&amp;", with: "&")
    }
  }

  @Test func copyPageImagesAreServedFromTheArchive() async throws {
    let store = try await SharedStore.instance.get()
    let catalog = try store.readCatalog()
    let mementos = try catalog.mementos(linkID: try #require(try catalog.linkID(forURL: store.articleURL)))
    let chart = store.server.url("/img/chart.png")
    let gone = store.server.url("/img/gone.png")
    let pixel = store.server.url("/img/pixel.png")
    try await withWebClient(store) { client in
      // Both captures (the response and the revisit of the unchanged page) show the chart.
      for m in mementos {
        let ts = MementoTime.digits(m.capturedAt)
        var sources: [String] = []
        try await client.execute(uri: "/web/\(ts)/\(store.articleURL)", method: .get) { r in
          #expect(r.status == .ok)
          let html = r.text
          sources = Self.imageSources(html)
          #expect(sources == ["/web/\(ts)im_/\(chart)"], "\(sources)")
          // The 404 image is a note linking its original address, the skipped tracking pixel
          // is left out; nothing points at the archive for an image it does not hold.
          #expect(html.contains("Image not captured: <a class=\"url\" href=\"\(gone)\">"))
          #expect(!html.contains("im_/\(gone)"))
          #expect(!html.contains(pixel))
        }
        let source = try #require(sources.first)
        try await client.execute(uri: source, method: .get) { r in
          #expect(r.status == .ok, "\(source)")
          #expect(r.headers[.contentType] == "image/png")
          #expect(Array(r.body.readableBytesView) == WebStore.png)
          expectSecurityHeaders(r, archived: true)
          #expect(r.headers[HTTPField.Name("Memento-Datetime")!] != nil)
          #expect(r.headers[.cacheControl]?.contains("immutable") == true)
        }
      }
      // Any timestamp finds the nearest archived copy of the image (Wayback's convention).
      try await client.execute(uri: "/web/2026im_/\(chart)", method: .get) { r in
        #expect(r.status == .ok)
        #expect(Array(r.body.readableBytesView) == WebStore.png)
      }
      // The images the capture did not archive: the tracking pixel (skipped, 1×1) and the
      // 404 image. pywb and Wayback answer 404 for an address their archive does not hold.
      let ts = MementoTime.digits(mementos[0].capturedAt)
      for missing in [gone, pixel] {
        try await client.execute(uri: "/web/\(ts)im_/\(missing)", method: .get) { r in
          #expect(r.status == .notFound, "\(missing)")
          expectSecurityHeaders(r)
        }
      }
    }
  }

  @Test func imagesOfAnArchivedPageNeverLeaveTheArchive() throws {
    let document = """
      <!DOCTYPE html><html><head><title>t</title></head><body>
      <p><img src="https://img.example/a.png?x=1&amp;y=2" alt="a" loading="lazy"></p>
      <p><img src="https://img.example/b.png" alt="b"></p>
      <p><img src="data:image/png;base64,AAAA" alt="c"></p>
      <p><img src="https://track.example/pixel.gif" alt=""></p>
      <p>text \u{202E}reversed</p>
      </body></html>
      """
    let body = ReadableEmbed.body(document, timestamp: "20260217080000") { url in
      url == "https://img.example/a.png?x=1&y=2" ? .archived : url.hasSuffix("pixel.gif") ? .skipped : .missing
    }
    #expect(body.contains("<img src=\"/web/20260217080000im_/https://img.example/a.png?x=1&amp;y=2\" alt=\"a\""))
    #expect(
      body.contains(
        "<span class=\"missing\">Image not captured: <a class=\"url\" href=\"https://img.example/b.png\">"))
    #expect(!body.contains("<img src=\"https://img.example/b.png\""))
    #expect(body.contains("<img src=\"data:image/png;base64,AAAA\""))
    #expect(!body.contains("pixel.gif"))
    #expect(body.contains("text [U+202E]reversed"))
    #expect(!body.contains("<title>") && !body.contains("</body>"))
  }

  @Test func renditionsAreKeptWithinTheirBudget() {
    let cache = RecordCache<String>(capacity: 4000)
    var builds = 0
    func get(_ key: String, size: Int = 500) -> String? {
      cache.value(key) {
        builds += 1
        return (String(repeating: "x", count: size), size)
      }
    }
    #expect(get("a") != nil)
    #expect(get("a") != nil)
    #expect(builds == 1)
    for i in 0..<20 { _ = get("k\(i)") }
    #expect(cache.bytes <= 4000)
    // The least recently used went first; a value over a quarter of the budget is served, not kept.
    #expect(get("big", size: 1500)?.count == 1500)
    #expect(cache.bytes <= 4000)
    let before = builds
    _ = get("big", size: 1500)
    #expect(builds == before + 1)
    let nothing = cache.value("none") { nil }
    #expect(nothing == nil)
  }
}
