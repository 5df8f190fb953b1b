import Foundation
import SourcekeepCore
import SourcekeepTestSupport
import Testing

/// `show --format html` opened in headless Chromium with the network off (Debian `chromium`,
/// `chromium-driver`, selenium in .venv: `make test-deps`): the article text is visible, every
/// image in the file has decoded (`naturalWidth > 0`), and no script is present. Leaves a
/// screenshot at .build/show-browser/show.png for a person to look at (docs/development.md).
@Suite struct ShowBrowserTests {
  @Test func theSelfContainedCopyReadsOfflineInChromium() throws {
    let a = try ShowCLITests.makeArchive()
    a.server.stop()
    let show = try a.run.run(["show", a.articleURL, "--output", "copy.html", "--config", "sk.toml"])
    #expect(show.status == 0, "\(show.stderr)")
    let outDir = TestFixtures.repositoryRoot.appendingPathComponent(".build/show-browser").path
    try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
    try? FileManager.default.removeItem(atPath: outDir + "/show.html")
    try FileManager.default.copyItem(atPath: a.dir + "/copy.html", toPath: outDir + "/show.html")
    let script = TestFixtures.repositoryRoot.appendingPathComponent("Tests/Browser/open_offline.py").path
    let browser = try ExternalTool.run("python3", [script, a.dir + "/copy.html", outDir + "/show.png"])
    try #require(
      browser.status == 0,
      "headless Chromium failed (needs chromium, chromium-driver and selenium: `make test-deps`): \(browser.output)")
    let seen = try #require(JSONValue.parse(browser.output.split(separator: "\n").last.map(String.init) ?? ""))
    #expect(seen["content_visible"] == .bool(true))
    let text = seen["text"]?.stringValue ?? ""
    for p in ShowCLITests.paragraphs { #expect(text.contains(p), "\(p) not visible") }
    #expect(seen["scripts"] == .int(0))
    guard case .array(let images)? = seen["images"] else {
      Issue.record("no image list: \(browser.output)")
      return
    }
    // Every image the file holds decoded offline; the others are marked where they stood.
    for image in images {
      #expect(image["natural_width"]?.intValue ?? 0 > 0, "\(image.compact) did not decode offline")
    }
    #expect(images.count == 2)
    #expect(seen["missing_notes"] == .int(1))
  }
}
