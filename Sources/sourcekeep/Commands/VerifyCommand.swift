import ArgumentParser
import SourcekeepApp
import SourcekeepCore

/// `sourcekeep verify`.
struct VerifyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Check every catalog pointer and every WARC record.",
    discussion: """
      Every snapshot and page-requisite row must lead to a record of the right type and URL whose \
      payload digest matches the catalog; every WARC file must be a clean series of gzip members with correct \
      block and payload digests. Exits 1 and lists the problems when anything is wrong.
      """)

  @OptionGroup var common: CommonOptions

  @Flag(help: "Print the result as one JSON document (docs/design.md#json-output).")
  var json = false

  func run() async throws {
    let context = try CommandContext.load(common)
    let catalog = try context.readCatalog()
    // Snapshot pointers in batches of a thousand: memory does not grow with the archive.
    var last: Int64 = 0
    var lastRequisite: Int64 = 0
    // Both kinds of pointer in keyset pages: memory holds one page (docs/performance.md#scale).
    let report = try ArchiveVerifier(layout: context.layout).verify(
      requisiteBatches: { () throws(CatalogError) in
        let batch = try catalog.archivedRequisites(after: lastRequisite)
        lastRequisite = batch.last?.id ?? lastRequisite
        return batch
      },
      batches: { () throws(CatalogError) in
        let batch = try catalog.snapshots(after: last)
        last = batch.last?.id ?? last
        return batch
      })
    // One diagnosis per place, not one line per symptom (docs/design.md#verify).
    let diagnoses = VerifyDiagnosis.diagnose(report, storeRoot: context.layout.root)
    if json {
      let document = JSONValue.object([
        ("ok", .bool(report.problems.isEmpty)), ("snapshots_checked", .int(Int64(report.snapshotsChecked))),
        ("requisites_checked", .int(Int64(report.requisitesChecked))),
        ("files_checked", .int(Int64(report.filesChecked))), ("records", .int(Int64(report.recordsInFiles))),
        ("problems", .array(diagnoses.map { .string("\($0.file)@\($0.offset ?? 0): \($0.problem)") })),
        ("diagnoses", .array(diagnoses.map(\.json))),
        ("warnings", .array(report.warnings.map { .string("\($0)") })),
        ("problems_not_listed", .int(Int64(report.problemsNotListed))),
      ])
      StandardOutput.write(document.pretty + "\n")
      if !report.problems.isEmpty { throw ExitCode.failure }
      return
    }
    for warning in report.warnings { printError("sourcekeep: warning: \(warning)") }
    for diagnosis in diagnoses { printError(diagnosis.text) }
    if report.problemsNotListed > 0 {
      printError(
        "sourcekeep: and \(report.problemsNotListed) more problem(s) past the first \(ArchiveVerifier.Report.findingLimit), "
          + "not listed; mend those above and run verify again")
    }
    print(
      "verify: \(report.snapshotsChecked) snapshot pointer(s), \(report.requisitesChecked) requisite pointer(s), "
        + "\(report.filesChecked) WARC file(s) with "
        + "\(report.recordsInFiles) record(s): \(report.problems.isEmpty ? "ok" : "\(diagnoses.count) problem(s)")"
    )
    if !report.problems.isEmpty { throw ExitCode.failure }
  }
}
