import Foundation
import SourcekeepCore
import SourcekeepTestSupport
import Testing

/// `sourcekeep show` through the binary on an archive made by `ingest now` from the loopback
/// fixture server: the conversion record, every format, `--at`, the exit codes, and that it
/// reads while another process holds the store lock (docs/design.md#show).
@Suite struct ShowCLITests {
  static let paragraphs = [
    "除夕前夜，阿里把千问3.5系列一口气开源了，总参数397B的旗舰版每次推理只激活17B参数，激活比例不到5%。",
    "更让开发者坐不住的是价格：百炼API上，百万Tokens输入最低只要0.8元，大约是GPT-5.2的1/15、Gemini-3-Pro的1/18。",
    "注意力部分采用全局注意力与线性注意力混合的设计：大约每四层里只保留一层全局注意力，其余层交给线性注意力处理长序列。",
  ]

  /// A WeChat-like article: hidden `#js_content`, lazy images, a script inside the body.
  static func article(imageBase: String) -> String {
    """
    <!DOCTYPE html><html><head><meta charset="utf-8">
    <meta property="og:title" content="千问3.5开源：397B总参数只激活17B">
    <meta property="og:site_name" content="微信公众平台">
    <script>var nickname = "量子位"; var ct = "1771249630";</script>
    <style>#js_content{visibility:hidden}</style></head>
    <body><div id="js_content" class="rich_media_content" style="visibility: hidden;">
    <h2>极致稀疏</h2><p>\(paragraphs[0])</p>
    <p><img data-src="\(imageBase)/img/one.png" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="图一"></p>
    <p>\(paragraphs[1])<script>document.write('x')</script></p>
    <p><img data-src="\(imageBase)/img/two.png"></p><p>\(paragraphs[2])</p>
    <p><img data-src="\(imageBase)/pics/gone.png" alt="图三"></p>
    </div><script>document.getElementById('js_content').style.visibility='visible'</script></body></html>
    """
  }

  /// Two small PNGs (24×16 red, 32×20 blue): not tracking pixels, so they are page requisites.
  static let onePNG =
    "iVBORw0KGgoAAAANSUhEUgAAABgAAAAQCAIAAACDRijCAAAAGklEQVR42mM4oaFBFcQwatCoQaMGjRpEGQIATMGkEOEozAAAAAAASUVORK5CYII="
  static let twoPNG =
    "iVBORw0KGgoAAAANSUhEUgAAACAAAAAUCAIAAABj86gYAAAAIElEQVR42mPQiDpBU8QwasGoBaMWjFowasGoBaMWEIMAKK85LgqxEx8AAAAASUVORK5CYII="

  struct Archive {
    let server: FixtureServer
    let tmp: TempDirectory
    let run: CommandRunner
    let articleURL: String
    let articleBody: [UInt8]
    let missingURL: String
    var dir: String { tmp.path }
  }

  static func makeArchive() throws -> Archive {
    let server = try FixtureServer()
    let body = Array(article(imageBase: String(server.url("/").dropLast())).utf8)
    server.serve("/s/article", .init(body: body))
    for (path, png) in [("/img/one.png", onePNG), ("/img/two.png", twoPNG)] {
      server.serve(path, .init(headers: ["Content-Type: image/png"], body: Array(Data(base64Encoded: png) ?? Data())))
    }
    server.serve("/gone", .init(status: 404, body: Array("<html><body>not here</body></html>".utf8)))
    let tmp = TempDirectory(prefix: "sk-show")
    let dir = tmp.path
    try FileManager.default.createDirectory(atPath: dir + "/digests", withIntermediateDirectories: true)
    let articleURL = server.url("/s/article")
    let missingURL = server.url("/gone")
    try """
    # 2026年02月17日
    ## 条目
    > **来源：** [量子位](\(articleURL)) 、 [消失](\(missingURL))
    """.write(toFile: dir + "/digests/2026-02-17.md", atomically: true, encoding: .utf8)
    try LoopbackConfig.toml(requisites: true).write(toFile: dir + "/sk.toml", atomically: true, encoding: .utf8)
    let run = CommandRunner(workingDirectory: dir)
    let ingest = try run.run(["ingest", "now", "--config", "sk.toml"])
    #expect(ingest.status == 0, "\(ingest.stderr)")
    return Archive(
      server: server, tmp: tmp, run: run, articleURL: articleURL, articleBody: body, missingURL: missingURL)
  }

  @Test func theCaptureHasAConversionRecordThatWarcioAndVerifyAccept() throws {
    let a = try Self.makeArchive()
    defer { a.server.stop() }
    let files = try FileManager.default.contentsOfDirectory(atPath: a.dir + "/data/warc").filter {
      $0.hasSuffix(".warc.gz")
    }
    #expect(files.count == 1)
    let path = a.dir + "/data/warc/" + files[0]
    let records = WARCFile.scan(path).records.map(\.0)
    let response = try #require(records.first { $0.type == .response && $0.targetURI == a.articleURL })
    let conversion = try #require(records.first { $0.type == .conversion })
    #expect(conversion.header("WARC-Refers-To") == response.recordID)
    #expect(conversion.header("WARC-Refers-To-Target-URI") == a.articleURL)
    #expect(conversion.targetURI == "urn:sourcekeep:readable:" + a.articleURL)
    #expect(conversion.header("Content-Type") == "text/html; charset=utf-8")
    let html = String(decoding: conversion.block, as: UTF8.self)
    for p in Self.paragraphs { #expect(html.contains(p)) }
    #expect(!html.contains("<script"))
    #expect(!html.contains("visibility"))
    // A page that was not captured (404) has no rendition.
    #expect(records.filter { $0.type == .conversion }.count == 1)
    let check = try ExternalTool.run("warcio", ["check", path])
    #expect(check.status == 0, "\(check.output)")
    let verify = try a.run.run(["verify", "--config", "sk.toml"])
    #expect(verify.status == 0, "\(verify.stderr)")
  }

  @Test func everyFormatReadsTheArchiveWhileAnotherProcessHoldsTheLock() throws {
    let a = try Self.makeArchive()
    defer { a.server.stop() }
    a.server.stop()  // nothing below may touch the network
    let lock = try StoreLock(path: StoreLayout(root: a.dir + "/data").lockFile)
    defer { withExtendedLifetime(lock) {} }

    let html = try a.run.run(["show", a.articleURL, "--config", "sk.toml"])
    #expect(html.status == 0, "\(html.stderr)")
    for p in Self.paragraphs { #expect(html.stdout.contains(p)) }
    #expect(html.stdout.contains("<div class=\"sk-banner\">Archived copy of"))
    #expect(html.stdout.contains("Link now: alive"))
    // The two images the server had are inline, in place; the one it did not is a note.
    #expect(html.stdout.contains("2 of 3 images archived"))
    #expect(html.stdout.contains(#"<img src="data:image/png;base64,\#(Self.onePNG)" alt="图一">"#))
    #expect(html.stdout.contains(#"<img src="data:image/png;base64,\#(Self.twoPNG)" alt="">"#))
    #expect(html.stdout.contains("Image not captured: <a href=\"\(a.server.url("/pics/gone.png"))\""))
    let one = try #require(html.stdout.range(of: Self.onePNG))
    #expect(html.stdout.range(of: Self.paragraphs[0])!.upperBound < one.lowerBound)
    #expect(one.upperBound < html.stdout.range(of: Self.paragraphs[1])!.lowerBound)
    #expect(html.stdout.contains("img-src data:;"))
    #expect(!html.stdout.contains("<script"))

    let written = try a.run.run(["show", a.articleURL, "--output", "copy.html", "--config", "sk.toml"])
    #expect(written.status == 0 && written.stdout.isEmpty)
    #expect(try String(contentsOfFile: a.dir + "/copy.html", encoding: .utf8) == html.stdout)

    let text = try a.run.run(["show", a.articleURL, "--format", "text", "--config", "sk.toml"])
    #expect(text.status == 0)
    #expect(text.stdout.hasPrefix("千问3.5开源：397B总参数只激活17B\n"))
    #expect(text.stdout.contains("original: \(a.articleURL)\n"))
    #expect(text.stdout.contains(Self.paragraphs[0] + "\n\n" + Self.paragraphs[1]))
    #expect(!text.stdout.contains("<"))

    let original = try a.run.run(["show", a.articleURL, "--format", "original", "--config", "sk.toml"])
    #expect(original.status == 0)
    #expect(Array(original.stdout.utf8) == a.articleBody)

    for arguments in [["--format", "json"], ["--json"]] {
      let json = try a.run.run(["show", a.articleURL, "--config", "sk.toml"] + arguments)
      #expect(json.status == 0)
      let value = try #require(JSONValue.parse(json.stdout))
      #expect(value["schema"] == "sourcekeep.show/1")
      #expect(value["link"]?["state"] == "alive")
      #expect(value["facts"]?["title"] == "千问3.5开源：397B总参数只激活17B")
      #expect(value["capture"]?["record_type"] == "response")
      #expect(value["capture"]?["readable"]?["warc_offset"]?.intValue != nil)
      guard case .array(let images)? = value["requisites"] else {
        Issue.record("no requisites array")
        continue
      }
      #expect(
        images.map { $0["url"] }
          == ["/img/one.png", "/img/two.png", "/pics/gone.png"].map { .string(a.server.url($0)) })
      #expect(images.map { $0["status"] } == ["archived", "archived", "gone"])
      #expect(images.first?["record"]?["warc_offset"]?.intValue != nil)
    }
  }

  @Test func atPicksTheNearestCaptureAndARevisitSharesTheRendition() throws {
    let a = try Self.makeArchive()
    defer { a.server.stop() }
    Thread.sleep(forTimeInterval: 1.1)  // a second capture in a later second
    let check = try a.run.run(["check", "now", "--all", "--config", "sk.toml"])
    #expect(check.status == 0, "\(check.stderr)")
    func capture(_ extra: [String]) throws -> JSONValue? {
      let out = try a.run.run(["show", a.articleURL, "--json", "--config", "sk.toml"] + extra)
      #expect(out.status == 0, "\(out.stderr)")
      return JSONValue.parse(out.stdout)?["capture"]
    }
    let all = try #require(
      JSONValue.parse(try a.run.run(["show", a.articleURL, "--json", "--config", "sk.toml"]).stdout))
    guard case .array(let captures)? = all["captures"], captures.count == 2,
      let first = captures[0]["captured_at"]?.stringValue, let second = captures[1]["captured_at"]?.stringValue
    else {
      Issue.record("want two captures: \(all.compact)")
      return
    }
    // Default: the newest (the link is alive), a revisit of the unchanged page.
    let newest = try capture([])
    #expect(newest?["captured_at"] == .string(second))
    #expect(newest?["record_type"] == "revisit")
    let oldest = try capture(["--at", first])
    #expect(oldest?["captured_at"] == .string(first))
    #expect(oldest?["record_type"] == "response")
    // The revisit points at the rendition made with the payload it repeats.
    #expect(newest?["readable"] == oldest?["readable"])
    let wayback = String(first.prefix(19).filter(\.isNumber))
    #expect(try capture(["--at", wayback])?["captured_at"] == .string(first))
    #expect(try capture(["--at", "2099"])?["captured_at"] == .string(second))
    #expect(try capture(["--at", "2000-01-01"])?["captured_at"] == .string(first))
    // A revisit's original body is the payload it repeats.
    let original = try a.run.run(["show", a.articleURL, "--format", "original", "--config", "sk.toml"])
    #expect(Array(original.stdout.utf8) == a.articleBody)
  }

  /// A drifted link shows what was cited: its first good capture, as the report does.
  @Test func aDriftedLinkShowsItsFirstCaptureByDefault() throws {
    let a = try Self.makeArchive()
    defer { a.server.stop() }
    let other = (1...8).map { "第\($0)条：这家公司今天发布了一款新的扫地机器人，续航提升到三小时，售价与上一代相同，下个月开始发货。" }
    a.server.serve(
      "/s/article",
      .init(
        body: Array(
          "<html><body><article><h1>扫地机器人</h1>\(other.map { "<p>\($0)</p>" }.joined())</article></body></html>".utf8)))
    Thread.sleep(forTimeInterval: 1.1)
    let check = try a.run.run(["check", "now", "--all", "--config", "sk.toml"])
    #expect(check.status == 0, "\(check.stderr)")
    let json = try #require(
      JSONValue.parse(try a.run.run(["show", a.articleURL, "--json", "--config", "sk.toml"]).stdout))
    #expect(json["link"]?["state"] == "drifted")
    guard case .array(let captures)? = json["captures"], captures.count == 2 else {
      Issue.record("want two captures: \(json.compact)")
      return
    }
    #expect(json["capture"]?["captured_at"] == captures[0]["captured_at"])
    let text = try a.run.run(["show", a.articleURL, "--format", "text", "--config", "sk.toml"])
    #expect(text.stdout.contains(Self.paragraphs[0]))
    #expect(text.stdout.contains("link now: drifted"))
    let newest = try a.run.run(["show", a.articleURL, "--format", "text", "--at", "2099", "--config", "sk.toml"])
    #expect(newest.stdout.contains(other[0]))
  }

  @Test func noCaptureUnknownURLAndBadTimesExitWithWhatToDo() throws {
    let a = try Self.makeArchive()
    defer { a.server.stop() }
    let missing = try a.run.run(["show", a.missingURL, "--config", "sk.toml"])
    #expect(missing.status == 1)
    #expect(missing.stdout.isEmpty)
    #expect(missing.stderr.contains("\(a.missingURL) has no archived copy (link "))
    #expect(missing.stderr.contains("HTTP 404"))
    #expect(missing.stderr.contains("sourcekeep ingest now"))
    let unknown = try a.run.run(["show", "https://example.com/never-cited", "--config", "sk.toml"])
    #expect(unknown.status == 1)
    #expect(unknown.stderr.contains("https://example.com/never-cited is not in the catalog"))
    let badTime = try a.run.run(["show", a.articleURL, "--at", "yesterday", "--config", "sk.toml"])
    #expect(badTime.status == 64)
    #expect(badTime.stderr.contains("--at yesterday"))
    let badFormat = try a.run.run(["show", a.articleURL, "--format", "pdf", "--config", "sk.toml"])
    #expect(badFormat.status == 64)
  }
}
