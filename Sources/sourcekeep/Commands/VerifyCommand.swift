import ArgumentParser
import SourcekeepCore

/// `sourcekeep verify`.
struct VerifyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Check every catalog pointer and every WARC record.",
    discussion: """
      Every snapshot row must lead to a record of the right type and URL whose payload digest \
      matches the catalog; every WARC file must be a clean series of gzip members with correct \
      block and payload digests. Exits 1 and lists the problems when anything is wrong.
      """)

  @OptionGroup var common: CommonOptions

  func run() async throws {
    let context = try CommandContext.load(common)
    let catalog = try context.readCatalog()
    // In batches of a thousand pointers: memory does not grow with the archive.
    var last: Int64 = 0
    let report = try ArchiveVerifier(layout: context.layout).verify { () throws(CatalogError) in
      let batch = try catalog.snapshots(after: last)
      last = batch.last?.id ?? last
      return batch
    }
    for warning in report.warnings { printError("sourcekeep: warning: \(warning)") }
    for problem in report.problems { printError("sourcekeep: problem: \(problem)") }
    print(
      "verify: \(report.snapshotsChecked) snapshot pointer(s), \(report.filesChecked) WARC file(s) with "
        + "\(report.recordsInFiles) record(s): \(report.problems.isEmpty ? "ok" : "\(report.problems.count) problem(s)")"
    )
    if !report.problems.isEmpty { throw ExitCode.failure }
  }
}
