import ArgumentParser
import Foundation
import SourcekeepCore

/// `sourcekeep extract FILE [--url URL] [--format json|text]` and `extract --jsonl FILE...`
/// (DESIGN.md "Extract", a contract).
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

  func validate() throws {
    if files.isEmpty { throw ValidationError("Give an HTML file to read, e.g. `sourcekeep extract page.html`.") }
    if !jsonl && files.count > 1 {
      throw ValidationError("Several files need --jsonl (one JSON object per line): `sourcekeep extract --jsonl \(files.joined(separator: " "))`.")
    }
  }

  func run() async throws {
    let extractor = PageExtractor()
    let encoder = JSONEncoder()
    encoder.outputFormatting =
      jsonl ? [.withoutEscapingSlashes, .sortedKeys] : [.prettyPrinted, .withoutEscapingSlashes, .sortedKeys]
    if jsonl {
      var out = Data()
      for file in files {
        do {
          let bytes = try readFile(file)
          let facts = try extractor.extract(body: bytes, url: url, contentType: contentType)
          out.append(try encoder.encode(facts))
        } catch {
          let failure = ["file": file, "error": "\(error)"]  // per-file failure: report and go on
          out.append(try encoder.encode(failure))
        }
        out.append(0x0A)
        if out.count > 1 << 20 {
          FileHandle.standardOutput.write(out)
          out.removeAll(keepingCapacity: true)
        }
      }
      FileHandle.standardOutput.write(out)
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
      var data = try encoder.encode(facts)
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

  private func readFile(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else { throw UnreadableFile(path: path) }
    return [UInt8](data)
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
