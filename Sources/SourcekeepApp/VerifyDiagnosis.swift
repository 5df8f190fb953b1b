public import SourcekeepCore

/// `verify`'s problems for people: one diagnosis per place in the archive, saying where
/// (file, offset), what is wrong, which archived copies it touches and what to do
/// (docs/design.md#verify). One damaged member otherwise shows up several times: as a member
/// of its file that does not decode, and once more for each catalog row pointing at it.
public struct VerifyDiagnosis: Sendable, Equatable {
  public var file: String
  public var offset: Int64?
  public var problem: String
  /// The catalog rows whose archived copy is there (`snapshot 3 (https://…)`).
  public var affects: [String]
  public var remedy: String

  /// One diagnosis per (file, offset), in the order the findings came.
  public static func diagnose(_ report: ArchiveVerifier.Report, storeRoot: String) -> [VerifyDiagnosis] {
    var order: [String] = []
    var groups: [String: [ArchiveVerifier.Report.Finding]] = [:]
    // A pointer into damaged bytes (or past a damaged end) belongs to that damage.
    let damage = report.findings.filter(\.damaged)
    func place(_ f: ArchiveVerifier.Report.Finding) -> Int64? {
      guard let at = f.offset, !f.damaged else { return f.offset }
      let hit = damage.first { d in
        guard d.file == f.file, let start = d.offset else { return false }
        return at >= start && (d.length.map { at < start + $0 } ?? true)
      }
      return hit?.offset ?? at
    }
    for finding in report.findings {
      let key = finding.file + "@" + (place(finding).map(String.init) ?? "-")
      if groups[key] == nil { order.append(key) }
      groups[key, default: []].append(finding)
    }
    // A file whose first member is damaged also "does not start with a warcinfo record":
    // that is the same damage, not a second problem.
    let damagedAtStart = Set(report.findings.filter { $0.damaged && $0.offset == 0 }.map(\.file))
    var out: [VerifyDiagnosis] = []
    for key in order {
      let findings = groups[key] ?? []
      guard let first = findings.first else { continue }
      if first.offset == nil && damagedAtStart.contains(first.file)
        && findings.allSatisfy({ $0.problem.contains("warcinfo") })
      {
        continue
      }
      out.append(diagnosis(findings, first: first, storeRoot: storeRoot))
    }
    return out
  }

  private static func diagnosis(
    _ findings: [ArchiveVerifier.Report.Finding], first: ArchiveVerifier.Report.Finding, storeRoot: String
  ) -> VerifyDiagnosis {
    var affects: [String] = []
    for subject in findings.compactMap(\.subject) where !affects.contains(subject) { affects.append(subject) }
    let file = storeRoot + "/" + first.file
    // What the member itself says wins over what reading it through a pointer said.
    let damage = findings.first(where: \.damaged)
    let problem: String
    let remedy: String
    if let damage {
      problem = damage.problem.replacingOccurrences(
        of: "at offset \(damage.offset ?? -1): ", with: "")
      remedy =
        affects.isEmpty
        ? "no catalog row points at these bytes, so no archived copy is lost; the records around them are intact. "
          + "Restore \(file) from a backup to repair it, or leave it"
        : "what this record held (the copy of the rows above) is lost from the file; restore \(file) from a backup "
          + "(the other records in it are intact). `sourcekeep check now --url URL` re-checks the page if it is still "
          + "online"
    } else {
      var problems: [String] = []
      for f in findings where !problems.contains(f.problem) { problems.append(f.problem) }
      problem = problems.joined(separator: "; ")
      remedy = remedyFor(problem, file: file, pointed: !affects.isEmpty)
    }
    return VerifyDiagnosis(
      file: first.file, offset: damage?.offset ?? first.offset, problem: problem, affects: affects, remedy: remedy)
  }

  private static func remedyFor(_ problem: String, file: String, pointed: Bool) -> String {
    if problem.contains("digest mismatch") {
      return "the bytes changed after they were written (disk or copy error); restore \(file) from a backup"
    }
    if problem.contains("catalog says") || problem.contains("record is for") || problem.contains("≠ catalog")
      || problem.contains("no WARC pointer") || problem.contains("not conversion") || problem.contains("refers to")
    {
      return "the catalog and the archive disagree; restore catalog.sqlite and warc/ from the same backup"
    }
    if problem.contains("cannot") || problem.contains("no such file") {
      return "the file is missing or unreadable; check \(file) exists and its permissions, or restore it from a backup"
    }
    return pointed
      ? "restore \(file) from a backup" : "the record was written incomplete; restore \(file) from a backup or leave it"
  }

  /// For a terminal: `warc/F @ offset O: problem` then the copies it touches and what to do.
  public var text: String {
    var lines = ["problem: \(file)\(offset.map { " at offset \($0)" } ?? ""): \(problem)"]
    if !affects.isEmpty { lines.append("  affects: " + affects.joined(separator: ", ")) }
    lines.append("  what to do: " + remedy)
    return lines.joined(separator: "\n")
  }

  public var json: JSONValue {
    .object([
      ("file", .string(file)), ("offset", offset.map { .int($0) } ?? .null), ("problem", .string(problem)),
      ("affects", .array(affects.map { .string($0) })), ("what_to_do", .string(remedy)),
    ])
  }
}
