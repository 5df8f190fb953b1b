import Foundation
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

/// The sections added in the second round: `[capture]`, `[web]`, `[fallback]`, `[journal]` and
/// `digests.exclude` (docs/design.md#configuration).
@Suite struct ConfigSectionsTests {
  let file = ConfigFile()
  var dir: TempDirectory { file.dir }
  func load(_ toml: String) throws(ConfigError) -> LoadedConfig { try file.load(toml) }
  func problem(_ toml: String) -> ConfigError? { file.problem(toml) }

  @Test func newSectionsHaveTheirDefaults() throws {
    let c = try load("").config
    #expect(c.digests.exclude == [])
    #expect(c.capture == CaptureConfig())
    #expect(c.capture.requisites && c.capture.maxRequisites == 60)
    #expect(c.capture.maxRequisiteMB == 10 && c.capture.maxRequisitesMBPerPage == 40)
    #expect(c.web.listen == "127.0.0.1:8470" && c.web.publicURL == "" && c.web.auth == WebAuth.none)
    #expect(c.web.htpasswd == "" && !c.web.isPublic)
    #expect(!c.fallback.wayback && c.fallback.waybackEndpoint == "https://archive.org/wayback/available")
    #expect(c.fallback.mementoTimegate == "" && !c.fallback.savePageNow && c.fallback.spnKeysFile == "")
    #expect(c.journal.keepDays == 90)
  }

  @Test func valuesAreReadAndFilesResolveAgainstTheConfigFolder() throws {
    let c = try load(
      """
      [digests]
      exclude = ["notes.md", "drafts/**"]
      [capture]
      requisites = false
      max_requisites = 5
      max_requisite_mb = 2
      max_requisites_mb_per_page = 8
      [web]
      listen = "0.0.0.0:9000"
      public_url = "https://archive.example.org/"
      auth = "basic"
      htpasswd = "etc/htpasswd"
      [fallback]
      wayback = true
      memento_timegate = "http://timetravel.example/timegate/"
      save_page_now = true
      spn_keys_file = "spn.keys"
      [journal]
      keep_days = 0
      """
    ).config
    #expect(c.digests.exclude == ["notes.md", "drafts/**"])
    #expect(!c.capture.requisites && c.capture.maxRequisites == 5)
    #expect(c.capture.maxRequisiteMB == 2 && c.capture.maxRequisitesMBPerPage == 8)
    #expect(c.web.listen == "0.0.0.0:9000" && c.web.auth == .basic)
    #expect(c.web.publicURL == "https://archive.example.org")
    #expect(c.web.htpasswd == dir.path + "/etc/htpasswd")
    #expect(c.fallback.wayback && c.fallback.savePageNow)
    #expect(c.fallback.mementoTimegate == "http://timetravel.example/timegate")
    #expect(c.fallback.spnKeysFile == dir.path + "/spn.keys")
    #expect(c.journal.keepDays == 0)
  }

  @Test func badValuesNameTheKey() {
    let cases: [(String, String)] = [
      ("[capture]\nmax_requisites = -1", "capture.max_requisites"),
      ("[capture]\nrequisites = \"yes\"", "capture.requisites"),
      ("[web]\nlisten = \"8470\"", "web.listen"),
      ("[web]\nlisten = \"example.org:80\"", "web.listen"),
      ("[web]\nlisten = \"127.0.0.1:70000\"", "web.listen"),
      ("[web]\npublic_url = \"javascript:alert(1)\"", "web.public_url"),
      ("[web]\nauth = \"digest\"", "web.auth"),
      ("[web]\nauth = \"basic\"", "web.htpasswd"),
      ("[fallback]\nwayback_endpoint = \"\"", "fallback.wayback_endpoint"),
      ("[fallback]\nmemento_timegate = \"ftp://x/\"", "fallback.memento_timegate"),
      ("[journal]\nkeep_days = 1.5", "journal.keep_days"),
      ("[digests]\nexclude = [\"[a-\"]", "digests.exclude"),
      ("[web]\nport = 1", "web.port"),
    ]
    for (toml, key) in cases {
      let error = problem(toml)
      #expect(error?.key == key, "\(toml)")
    }
  }

  @Test func aListenerOthersCanReachNeedsAuthOrPublic() throws {
    let refused = problem("[web]\nlisten = \"0.0.0.0:8470\"")
    #expect(refused?.key == "web.listen")
    #expect(refused?.message.contains("public = true") == true)
    #expect(problem("[web]\nlisten = \"[::]:8470\"")?.key == "web.listen")
    #expect(problem("[web]\nlisten = \"0.0.0.0:8470\"\npublic = true") == nil)
    #expect(problem("[web]\nlisten = \"[::1]:8470\"") == nil)
    #expect(problem("[web]\nlisten = \"localhost:8470\"") == nil)
    #expect(problem("[web]\nlisten = \"127.0.0.2:8470\"") == nil)
    #expect(problem("[web]\nlisten = \"\"") == nil)
    let web = WebConfig()
    #expect(web.exposureProblem(listen: "192.168.1.4:80") != nil)
    #expect(web.exposureProblem(listen: "127.0.0.1:80") == nil)
  }

  @Test func listenAddressesParse() {
    #expect(ListenAddress("127.0.0.1:8470")?.port == 8470)
    #expect(ListenAddress("[::1]:0")?.host == "::1")
    #expect(ListenAddress("[::1]:0")?.description == "[::1]:0")
    #expect(ListenAddress("::1:80") == nil)
    #expect(ListenAddress("[127.0.0.1]:80") == nil)
    #expect(ListenAddress("127.0.0.1:") == nil)
    #expect(ListenAddress("127.0.0.1:+80") == nil)
  }
}

@Suite struct GlobPatternTests {
  func matches(_ pattern: String, _ path: String) -> Bool {
    GlobPattern(pattern)!.matches(relativePath: path)
  }

  @Test func patternsMatchNamesOrPaths() {
    #expect(matches("notes.md", "notes.md"))
    #expect(matches("notes.md", "2026/notes.md"))
    #expect(!matches("notes.md", "notes.md.bak"))
    #expect(matches("*.html", "a/b/x.html"))
    #expect(!matches("*.html", "x.md"))
    #expect(matches("draft-??.md", "draft-01.md"))
    #expect(!matches("draft-??.md", "draft-1.md"))
    #expect(matches("[0-9]*.md", "2026-02-17.md"))
    #expect(!matches("[!0-9]*.md", "2026-02-17.md"))
    #expect(matches("drafts/**", "drafts/a/b.md"))
    #expect(!matches("drafts/**", "final/a.md"))
    #expect(matches("**/old.md", "old.md"))
    #expect(matches("**/old.md", "x/y/old.md"))
    #expect(!matches("drafts/*.md", "drafts/a/b.md"))
    #expect(matches("drafts/*.md", "drafts/b.md"))
    #expect(matches("a\\*b.md", "a*b.md"))
    #expect(!matches("a\\*b.md", "axb.md"))
  }

  @Test func badPatternsAreRefusedAndLongOnesStayCheap() {
    #expect(GlobPattern("") == nil)
    #expect(GlobPattern("[abc") == nil)
    #expect(GlobPattern("[z-a]") == nil)
    // Exponential for a backtracking matcher; a table match answers at once.
    let hostile = String(repeating: "*a", count: 60) + "b"
    #expect(!GlobPattern(hostile)!.matches(relativePath: String(repeating: "a", count: 200)))
  }

  @Test func discoveryLeavesOutExcludedFiles() throws {
    let dir = TempDirectory()
    let digest = "# d\n\n- [a](https://example.org/a)\n"
    dir.write("digests/2026-02-17.md", digest)
    dir.write("digests/notes.md", digest)
    dir.write("digests/drafts/2026-02-18.md", digest)
    dir.write("digests/archive/2026-01-01.md", digest)
    let found = DigestReader().discover([dir.path + "/digests"], exclude: ["notes.md", "drafts/**"])
    #expect(found.files.map { ($0 as NSString).lastPathComponent } == ["2026-02-17.md", "2026-01-01.md"])
    let single = DigestReader().discover([dir.path + "/digests/notes.md"], exclude: ["notes.md"])
    #expect(single.files.isEmpty && single.problems.isEmpty)
  }
}
