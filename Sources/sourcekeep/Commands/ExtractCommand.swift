import ArgumentParser
import Foundation
import SourcekeepCore

/// `sourcekeep extract FILE [--url URL] [--format json|text]` and `extract --jsonl FILE...`
/// (docs/design.md#extract, a contract).
struct ExtractCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "extract",
    abstract: "Extract title, metadata, main text and soft-404 signals from a saved HTML file.")

  /// Output formats of a single extraction.
  enum Format: String, ExpressibleByArgument, CaseIterable {
    /// The contract JSON object.
    case json
    /// Title, metadata lines, then the main text.
    case text
  }

  @Argument(help: "HTML file(s) to read.")
  var files: [String] = []

  @Option(help: "The URL the page was fetched from (resolves relative links).")
  var url: String?

  @Option(help: "Output format: json or text.")
  var format: Format = .json

  @Option(help: "The HTTP Content-Type the page was served with (its charset wins).")
  var contentType: String?

  @Flag(help: "Read many files in one process; print one JSON object per line.")
  var jsonl = false

  @Option(
    help: "With --jsonl: pages parsed in parallel (default: the number of CPU cores). Output order is the input order.")
  var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

  func validate() throws {
    if files.isEmpty { throw ValidationError("Give an HTML file to read, e.g. `sourcekeep extract page.html`.") }
    if !jsonl && files.count > 1 {
      throw ValidationError(
        "Several files need --jsonl (one JSON object per line): `sourcekeep extract --jsonl \(files.joined(separator: " "))`."
      )
    }
  }

  /// One `--jsonl` line: the facts, or `{"file", "error"}` for a file that failed (the run goes on).
  func extractLine(_ file: String, extractor: PageExtractor, encoder: JSONEncoder) -> Data {
    var line: Data
    do {
      let bytes = try readFile(file)
      let facts = try extractor.extract(body: bytes, url: url, contentType: contentType)
      line = try encoder.encode(facts)
    } catch {
      line = (try? encoder.encode(["file": file, "error": "\(error)"])) ?? Data()
    }
    line.append(0x0A)
    return line
  }

  func run() async throws {
    // `--jsonl` prints neither blocks nor requisites: the extractor skips them.
    let extractor = PageExtractor(structure: !jsonl)
    let encoder = JSONEncoder()
    encoder.outputFormatting =
      jsonl ? [.withoutEscapingSlashes, .sortedKeys] : [.prettyPrinted, .withoutEscapingSlashes, .sortedKeys]
    if jsonl {
      // Files are read and parsed `jobs` at a time (libxml2 documents are per task, nothing
      // is shared); lines are written in input order, a window at a time, so memory stays
      // bounded however many files there are.
      let window = max(1, jobs) * 8
      var start = 0
      while start < files.count {
        let slice = Array(files[start..<min(files.count, start + window)])
        let lines = await withTaskGroup(of: (Int, Data).self) { group in
          var next = 0
          var results = [Data](repeating: Data(), count: slice.count)
          func add() {
            guard next < slice.count else { return }
            let index = next
            let file = slice[index]
            next += 1
            group.addTask { (index, extractLine(file, extractor: extractor, encoder: encoder)) }
          }
          for _ in 0..<max(1, jobs) { add() }
          while let (index, line) = await group.next() {
            results[index] = line
            add()
          }
          return results
        }
        var out = Data()
        for line in lines { out.append(line) }
        FileHandle.standardOutput.write(out)
        start += slice.count
      }
      return
    }
    let file = files[0]
    let bytes: [UInt8]
    do {
      bytes = try readFile(file)
    } catch {
      printError("sourcekeep extract: \(error)")
      throw ExitCode.badInput
    }
    let facts: PageFacts
    do {
      facts = try extractor.extract(body: bytes, url: url, contentType: contentType)
    } catch {
      printError("sourcekeep extract: \(file): \(error)")
      throw ExitCode.badInput
    }
    switch format {
    case .json:
      var data = try encoder.encode(FactsWithBlocks(facts: facts))
      data.append(0x0A)
      FileHandle.standardOutput.write(data)
    case .text:
      FileHandle.standardOutput.write(Data(render(facts).utf8))
    }
  }

  /// A file that could not be read, named, with the fix.
  struct UnreadableFile: Error, CustomStringConvertible {
    let path: String
    var description: String { "cannot read \(path): no such file, or not readable; check the path and permissions" }
  }

  /// A file that is an archive, not a page (extract would print its bytes as text).
  struct NotAPage: Error, CustomStringConvertible {
    let path: String
    let kind: String
    var description: String {
      "\(path) is \(kind), not a saved page: extract reads HTML. For an archived capture use "
        + "`sourcekeep show URL --format original` (the body as received) or `--format text`"
    }
  }

  private func readFile(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else { throw UnreadableFile(path: path) }
    let bytes = [UInt8](data)
    if bytes.starts(with: [0x1F, 0x8B]) { throw NotAPage(path: path, kind: "gzip data (a .warc.gz?)") }
    if bytes.starts(with: Array("WARC/".utf8)) { throw NotAPage(path: path, kind: "a WARC file") }
    if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { throw NotAPage(path: path, kind: "a zip archive (a .wacz?)") }
    return bytes
  }

  private func render(_ f: PageFacts) -> String {
    var lines: [String] = []
    func add(_ k: String, _ v: String?) { if let v, !v.isEmpty { lines.append("\(k): \(v)") } }
    add("title", f.title)
    add("publisher", f.publisher)
    add("author", f.author)
    add("published", f.published)
    add("canonical", f.canonicalURL)
    add("charset", f.charset)
    if let s = f.soft404 { lines.append("soft-404: \(s.reason.rawValue) (\(s.evidence))") }
    if f.blocked { lines.append("blocked: \(f.blockedEvidence ?? "yes")") }
    lines.append("")
    lines.append(f.text)
    return lines.joined(separator: "\n") + "\n"
  }
}

/// The contract JSON of a page plus `blocks`, the main content as ordered blocks.
struct FactsWithBlocks: Encodable {
  let facts: PageFacts

  enum Keys: String, CodingKey { case blocks }

  func encode(to encoder: any Encoder) throws {
    try facts.encode(to: encoder)
    var c = encoder.container(keyedBy: Keys.self)
    try c.encode(facts.blocks, forKey: .blocks)
  }
}
