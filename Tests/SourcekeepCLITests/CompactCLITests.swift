import Foundation
import SourcekeepCore
import SourcekeepTestSupport
import Testing

/// `sourcekeep compact` gives back the space deleted rows left, changes no row, and says what it did.
@Suite struct CompactCLITests {
  @Test func compactShrinksTheCatalogAfterAForgetAndKeepsEveryRow() throws {
    let tmp = TempDirectory(prefix: "sk-compact")
    try FileManager.default.createDirectory(atPath: tmp.path + "/digests", withIntermediateDirectories: true)
    _ = tmp.write("sourcekeep.toml", "[digests]\npaths = [\"digests\"]\n[storage]\ndir = \"data\"\n")
    for (day, count) in [("2026-02-16", 1_500), ("2026-02-17", 20)] {
      let links = (0..<count).map { "[p\($0)](https://example.com/\(day)/article-with-a-long-path-\($0)?ref=digest)" }
      // Twenty links a line: a digest line over 64 KiB is refused (docs/design.md#digest-format).
      let lines = stride(from: 0, to: links.count, by: 20).map { links[$0..<min($0 + 20, links.count)] }
      _ = tmp.write(
        "digests/\(day).md",
        "# d \(day)\n\n## x\n\n> **来源：** " + lines.map { $0.joined(separator: " 、 ") }.joined(separator: "\n> ") + "\n")
    }
    let runner = CommandRunner(workingDirectory: tmp.path)
    let ingest = try runner.run(["ingest", "now", "--config", "sourcekeep.toml", "--no-capture"])
    #expect(ingest.status == 0, "\(ingest.stderr)")
    try FileManager.default.removeItem(atPath: tmp.path + "/digests/2026-02-16.md")
    let forget = try runner.run(["forget", "--digest", "2026-02-16", "--config", "sourcekeep.toml"])
    #expect(forget.status == 0, "\(forget.stderr)")

    let catalogPath = tmp.path + "/data/catalog.sqlite"
    let before = try Catalog.openForReading(path: catalogPath).dump()
    let run = try runner.run(["compact", "--json", "--config", "sourcekeep.toml"])
    #expect(run.status == 0, "\(run.stderr)")
    let result = try #require(JSONValue.parse(run.stdout))
    let bytesBefore = try #require(result["bytes_before"]?.intValue)
    let bytesAfter = try #require(result["bytes_after"]?.intValue)
    #expect(bytesAfter < bytesBefore, "\(bytesBefore) → \(bytesAfter)")
    #expect(result["links"]?.intValue == 1_520)
    #expect(result["bytes_per_link"]?.intValue == bytesAfter / 1_520)
    let attributes = try FileManager.default.attributesOfItem(atPath: catalogPath)
    #expect((attributes[.size] as? NSNumber)?.int64Value == bytesAfter)
    #expect(try Catalog.openForReading(path: catalogPath).dump() == before)
    let event = JournalReader(directory: tmp.path + "/data/journal").last("catalog.compact")
    #expect(event?.value?["bytes_after"]?.intValue == bytesAfter)

    let text = try runner.run(["compact", "--config", "sourcekeep.toml"])
    #expect(text.status == 0)
    #expect(text.stdout.hasPrefix("compact: "))
    #expect(text.stdout.contains("per link, 1520 link(s)"))
  }
}
