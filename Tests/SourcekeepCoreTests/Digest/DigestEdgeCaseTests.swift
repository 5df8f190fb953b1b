import Foundation
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

@Suite struct DigestEdgeCaseTests {
  let dir = TempDirectory()

  @Test func digestsThatIgnoreTheFormatStillYieldEveryLinkAsMentions() throws {
    let path = dir.write(
      "notes.md",
      """
      Intro with a bare link https://example.com/bare and [a named one](https://example.org/x).

      ### Section A
      * [item](http://news.example.net/a) and <https://auto.example/b>
      > quoted [q](https://q.example/1)
      ```
      [not a link in code](https://code.example/ignored)
      ```
      """)
    let digest = try DigestReader().read(path)
    let urls = digest.citations.map(\.url.string)
    #expect(
      urls == [
        "https://example.com/bare", "https://example.org/x", "http://news.example.net/a", "https://auto.example/b",
        "https://q.example/1",
      ])
    #expect(digest.citations.allSatisfy { $0.role == .mention })
    #expect(digest.citations[2].entryTitle == "Section A")
    #expect(digest.citations[0].entryTitle == nil)
  }

  @Test func brokenMarkdownIsReadAsFarAsItGoes() throws {
    let path = dir.write(
      "2026-03-01-broken.md",
      "## Entry [unclosed](https://a.example/1\n> **来源：** [ok](https://b.example/2) [[[\n**bold never closed [x](https://c.example/3)\n"
    )
    let digest = try DigestReader().read(path)
    #expect(digest.date == "2026-03-01")
    #expect(digest.dateSource == .fileName)
    #expect(digest.citations.map(\.url.string).contains("https://b.example/2"))
    #expect(digest.citations.first { $0.url.string == "https://b.example/2" }?.role == .source)
    #expect(digest.citations.map(\.url.string).contains("https://c.example/3"))
  }

  @Test func binaryFileIsRefusedNamingTheFile() {
    let path = dir.write("image.md", bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0xFF])
    #expect(throws: DigestProblem.self) { try DigestReader().read(path) }
    do { _ = try DigestReader().read(path) } catch {
      #expect(error.path == path)
      #expect(error.message.contains("binary"))
    }
  }

  @Test func invalidUTF8IsRefusedWithTheFix() {
    let path = dir.write("gbk.md", bytes: Array("# 标题\n".utf8) + [0xB1, 0xEA, 0xCC, 0xE2, 0xC3])
    do {
      _ = try DigestReader().read(path)
      Issue.record("expected a problem")
    } catch {
      #expect(error.message.contains("UTF-8"))
    }
  }

  @Test func emptyFileAndAFileWithNoHeadingsOrLinksAreNotDigests() {
    let empty = dir.write("empty.md", "")
    let prose = dir.write("prose.md", "just some words\n\nno links at all\n")
    for path in [empty, prose] {
      #expect(throws: DigestProblem.self) { try DigestReader().read(path) }
    }
  }

  @Test func otherSchemesAreKeptAsExcludedAndMailtoTelRelativeAreIgnored() throws {
    let path = dir.write(
      "schemes.md",
      """
      ## Entry
      > **来源：** [js](javascript:alert(1)) 、 [ftp](ftp://files.example/x) 、 [f](file:///etc/passwd) 、 [web](https://ok.example/)
      [mail](mailto:editor@example.com) [tel](tel:+861234) [rel](../other.md) [frag](#top)
      """)
    let digest = try DigestReader().read(path)
    #expect(
      digest.citations.map(\.url.string) == [
        "javascript:alert(1)", "ftp://files.example/x", "file:///etc/passwd", "https://ok.example/",
      ])
    #expect(digest.citations.filter { !$0.url.isFetchable }.count == 3)
  }

  @Test func dateFallsBackToModificationTimeWithoutHeadingOrFileNameDate() throws {
    let path = dir.write("undated.md", "# Weekly\n\n[a](https://a.example/)\n")
    let mtime = Date(timeIntervalSince1970: 1_771_286_400)  // 2026-02-17T00:00:00Z
    try FileManager.default.setAttributes([.modificationDate: mtime], ofItemAtPath: path)
    let digest = try DigestReader().read(path)
    #expect(digest.date == "2026-02-17")
    #expect(digest.dateSource == .mtime)
  }

  @Test func htmlDigestsYieldHeadingsAndLinksThroughLibxml2() throws {
    let path = dir.write(
      "2026-02-18.html",
      """
      <html><head><title>AI速递 2026年02月18日</title></head><body>
      <h1>AI行业速递 - 2026年02月18日</h1>
      <h2>第一条</h2><blockquote><p><strong>来源：</strong> <a href="https://mp.weixin.qq.com/s/abc#x">量子位</a></p></blockquote>
      <p>See <a href="https://news.example/y">this</a> and <a href="mailto:a@b.c">mail</a>.</p>
      <h2>第二条</h2><p><a href="javascript:void(0)">js</a></p>
      </body></html>
      """)
    let digest = try DigestReader().read(path)
    #expect(digest.date == "2026-02-18")
    #expect(digest.entries.map(\.title) == ["第一条", "第二条"])
    #expect(
      digest.citations.map(\.url.string) == [
        "https://mp.weixin.qq.com/s/abc", "https://news.example/y", "javascript:void(0)",
      ])
    #expect(digest.citations[0].role == .source)
    #expect(digest.citations[0].publisher == "量子位")
    #expect(digest.citations[1].role == .mention)
  }

  @Test func discoveryReadsTheFolderRecursivelyAndReportsMissingPaths() {
    dir.write("a.md", "# a")
    dir.write("sub/b.markdown", "# b")
    dir.write("sub/c.html", "<h1>c</h1>")
    dir.write("sub/ignored.txt", "x")
    dir.write(".hidden/d.md", "# d")
    let (files, problems) = DigestReader().discover([dir.path, dir.path + "/missing"])
    #expect(files.map { ($0 as NSString).lastPathComponent } == ["a.md", "b.markdown", "c.html"])
    #expect(problems.count == 1)
    #expect(problems[0].path.hasSuffix("/missing"))
  }
}

@Suite struct URLNormalisationTests {
  func web(_ s: String) -> String? {
    if case .web(let u) = NormalizedURL.parse(s) { return u.string }
    return nil
  }

  @Test func fragmentCaseDefaultPortAndWhitespaceAreNormalised() {
    #expect(web("  HTTPS://MP.Weixin.QQ.com:443/s/AbC?x=1#frag ") == "https://mp.weixin.qq.com/s/AbC?x=1")
    #expect(web("http://Example.COM:80") == "http://example.com/")
    #expect(web("http://example.com:8080/p") == "http://example.com:8080/p")
    #expect(web("https://example.com?q=1") == "https://example.com/?q=1")
    #expect(web("https://example.com./a") == "https://example.com/a")
  }

  @Test func queryIsKeptByteForByte() {
    let long = "https://mp.weixin.qq.com/s?__biz=Mzg5MDQ4NzE2Mw==&mid=2247483921&idx=1&sn=7c1e&chksm=cf4a&scene=21"
    #expect(web(long + "#wechat_redirect") == long)
    #expect(web("https://x.example/s?src=11&signature=a*b-c") == "https://x.example/s?src=11&signature=a*b-c")
  }

  @Test func unsafeCharactersArePercentEncodedButEscapesStay() {
    #expect(web("https://x.example/a b/文章?q=中") == "https://x.example/a%20b/%E6%96%87%E7%AB%A0?q=%E4%B8%AD")
    #expect(web("https://x.example/a%20b") == "https://x.example/a%20b")
  }

  @Test func malformedAndNonWebLinksAreClassified() {
    #expect(NormalizedURL.parse("https:///nohost") == .ignored(why: "malformed https URL"))
    #expect(NormalizedURL.parse("http://host:99999/") == .ignored(why: "malformed http URL"))
    #expect(NormalizedURL.parse("/relative/path") == .ignored(why: "relative link"))
    #expect(NormalizedURL.parse("mailto:a@b.c") == .ignored(why: "mailto: link"))
    if case .otherScheme(let u) = NormalizedURL.parse("JavaScript:alert(1)#x") {
      #expect(u.string == "javascript:alert(1)")
      #expect(!u.isFetchable)
    } else {
      Issue.record("javascript: should be kept as another scheme")
    }
    #expect(web("http://[::1]:8080/x") == "http://[::1]:8080/x")
  }
}
