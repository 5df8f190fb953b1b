import Foundation
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

@Suite struct CatalogTests {
  let dir = TempDirectory()

  func catalog() throws -> Catalog { try Catalog(path: dir.path + "/catalog.sqlite") }

  /// The example digest (real WeChat links, registered only) and its counts read from the raw file.
  func exampleDigest() throws -> (Digest, RawDigestCounts) {
    let url = TestFixtures.exampleDigest("2026-02-17.md")
    return (try DigestReader().read(url.path), RawDigestCounts(markdown: try String(contentsOf: url, encoding: .utf8)))
  }

  @Test func seedDigestIsRegisteredAndReportedPerTheContract() throws {
    let catalog = try catalog()
    let (digest, raw) = try exampleDigest()
    let links = raw.distinctURLs
    #expect(links > 4)
    let registration = try catalog.registerDigest(digest)
    #expect(registration.change == .new)
    #expect(registration.entries == raw.entries)
    #expect(registration.sourceCitations == raw.sources.count)
    #expect(registration.newLinks == links)
    let model = try catalog.reportModel(filter: ReportFilter())
    #expect(model.links.count == links)
    #expect(model.links.allSatisfy { $0.state == .pending && $0.snapshot == nil && $0.status == nil })
    let json = try #require(JSONValue.parse(JSONReport.render(model)))
    #expect(json["schema"] == "sourcekeep.report/1")
    #expect(json["summary"]?["links"] == .int(Int64(links)))
    #expect(json["summary"]?["citations"] == .int(Int64(raw.sources.count)))
    #expect(json["summary"]?["digests"] == 1)
    #expect(json["summary"]?["by_state"]?["pending"] == .int(Int64(links)))
    guard case .array(let links)? = json["links"], case .object(let first)? = links.first else {
      Issue.record("links missing")
      return
    }
    let keys = first.map(\.0)
    for key in [
      "url", "final_url", "state", "status", "reason", "http_status", "checks", "consecutive_failures",
      "first_seen", "last_checked", "last_ok", "dead_since", "citations", "snapshot",
    ] {
      #expect(keys.contains(key), "link object lacks \(key)")
    }
    #expect(links.first?["snapshot"] == .null)
    guard case .array(let citations)? = links.first?["citations"] else {
      Issue.record("citations")
      return
    }
    #expect(citations.first?["digest"] == "2026-02-17.md")
    #expect(citations.first?["digest_date"] == "2026-02-17")
    #expect(citations.first?["publisher"] == .string(raw.sources[0].publisher))
    #expect(citations.first?["entry"]?.stringValue?.hasPrefix("千问3.5发布") == true)
    guard case .array(let publishers)? = json["publishers"] else {
      Issue.record("publishers")
      return
    }
    #expect(publishers.count == raw.publishers.count)
    for name in raw.publishers {
      let cited = Set(raw.sources.filter { $0.publisher == name }.map(\.url)).count
      #expect(publishers.contains { $0["publisher"] == .string(name) && $0["links"] == .int(Int64(cited)) }, "\(name)")
    }
    guard case .array(let domains)? = json["domains"] else {
      Issue.record("domains")
      return
    }
    let hosts = Set(raw.sources.compactMap { URL(string: $0.url)?.host })
    #expect(domains.count == hosts.count)
    #expect(Set(domains.compactMap { $0["domain"]?.stringValue }) == hosts)
  }

  @Test func rereadingAnUnchangedDigestChangesNothing() throws {
    let catalog = try catalog()
    let (digest, _) = try exampleDigest()
    _ = try catalog.registerDigest(digest, at: Date(timeIntervalSince1970: 1000))
    let before = try catalog.dump()
    let again = try catalog.registerDigest(digest, at: Date(timeIntervalSince1970: 2000))
    #expect(again.change == .unchanged)
    #expect(again.newLinks == 0)
    #expect(try catalog.dump() == before)
  }

  @Test func anEditedDigestUpdatesCitationsAndKeepsLinkHistory() throws {
    let catalog = try catalog()
    let path = dir.write(
      "2026-02-20.md",
      "# 速递 2026年02月20日\n\n## A\n> **来源：** [甲](https://a.example/1) 、 [乙](https://b.example/2)\n")
    _ = try catalog.registerDigest(try DigestReader().read(path))
    // Pretend link 1 has history: a check moved it to alive.
    try catalog.write { db in
      try db.execute(
        sql: "UPDATE link SET state = 'alive', checks = 3, last_ok = 'x' WHERE url = 'https://a.example/1'")
    }
    dir.write(
      "2026-02-20.md",
      "# 速递 2026年02月20日\n\n## A\n> **来源：** [甲方](https://a.example/1) 、 [丙](https://c.example/3)\n")
    let edit = try catalog.registerDigest(try DigestReader().read(path))
    #expect(edit.change == .updated)
    #expect(edit.newLinks == 1)
    let model = try catalog.reportModel(filter: ReportFilter())
    #expect(Set(model.links.map(\.url)) == ["https://a.example/1", "https://c.example/3"])
    let a = try #require(model.links.first { $0.url == "https://a.example/1" })
    #expect(a.state == .alive)
    #expect(a.checks == 3)
    #expect(a.citations.map(\.publisher) == ["甲方"])
    #expect(try catalog.totals().citations == 2)
    #expect(try catalog.totals().links == 3)  // b.example is no longer cited but keeps its row
  }

  @Test func excludedSchemesAreStoredAsExcludedAndNeverPending() throws {
    let catalog = try catalog()
    let path = dir.write("x.md", "## E\n[js](javascript:alert(1)) [ftp](ftp://f.example/x) [w](https://w.example/)\n")
    _ = try catalog.registerDigest(try DigestReader().read(path))
    let model = try catalog.reportModel(filter: ReportFilter())
    let excluded = model.links.filter { $0.status == .excluded }
    #expect(excluded.count == 2)
    #expect(excluded.allSatisfy { $0.reason == "scheme" && $0.state == .unknown })
    #expect(model.links.first { $0.url == "https://w.example/" }?.state == .pending)
  }

  @Test func reportFiltersByDigestDateAndState() throws {
    let catalog = try catalog()
    let one = dir.write("2026-02-17.md", "# d\n## A\n[a](https://a.example/)\n")
    let two = dir.write("2026-02-18.md", "# d\n## B\n[b](https://b.example/) [j](javascript:x)\n")
    _ = try catalog.registerDigest(try DigestReader().read(one))
    _ = try catalog.registerDigest(try DigestReader().read(two))
    #expect(try catalog.reportModel(filter: ReportFilter(digest: "2026-02-18")).links.count == 2)
    #expect(
      try catalog.reportModel(filter: ReportFilter(digest: "2026-02-17.md")).links.map(\.url) == ["https://a.example/"])
    #expect(try catalog.reportModel(filter: ReportFilter(digest: "2026-02-19")).digests.isEmpty)
    #expect(try catalog.reportModel(filter: ReportFilter(states: [.unknown])).links.count == 1)
  }

  @Test func aFileThatIsNotSQLiteIsRefusedNamingIt() {
    let path = dir.write("catalog.sqlite", String(repeating: "not a database ", count: 100))
    do {
      _ = try Catalog(path: path)
      Issue.record("expected an error")
    } catch {
      #expect(error.path == path)
    }
  }
}
