import ArgumentParser
import Foundation
import SourcekeepCore

/// `sourcekeep journal [--follow] [--since TIME] [--json]`.
struct JournalCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "journal",
    abstract: "Show the status journal: every run, digest read, capture, check and error.")

  @OptionGroup var common: CommonOptions

  @Flag(help: "Keep printing new events as they are written (like tail -f).")
  var follow = false

  @Option(help: "Only events since this time: a duration back from now (2h, 7d) or ISO-8601.")
  var since: String?

  @Flag(help: "Print the raw JSON lines.")
  var json = false

  func run() async throws {
    let context = try CommandContext.load(common)
    let cutoff = try since.map(parseSince)
    let reader = JournalReader(directory: context.layout.journalDirectory)
    // Streamed: one chunk of the journal in memory at a time, however long it is.
    reader.forEachLine(since: cutoff) { line in
      print(json ? line.raw : JournalReader.human(line))
    }
    guard follow else { return }
    await reader.follow { line in
      // Unbuffered, so `journal --follow | grep …` sees each event as it happens.
      FileHandle.standardOutput.write(Data(((json ? line.raw : JournalReader.human(line)) + "\n").utf8))
      return true
    }
  }
}
