public import SourcekeepCore

/// `--json` for `ingest now` and `check now` (docs/design.md#json-output): a stream, so compact
/// JSON lines — one `{"type":"link",…}` per finished link, then one `{"type":"summary",…}`.
/// The daemon builds the same lines, so a run it serves prints exactly what an in-process one does.
public enum RunJSON {
  /// One finished link.
  public static func link(_ o: LinkOutcome) -> String {
    JSONValue.object([
      ("type", "link"), ("url", .string(o.url)), ("final_url", .optional(o.finalURL)),
      ("status", .string(o.status.rawValue)), ("reason", .optional(o.reason?.rawValue)),
      ("http_status", .optional(o.httpStatus)), ("state_before", .string(o.stateBefore.rawValue)),
      ("state_after", .string(o.stateAfter.rawValue)), ("record", .optional(o.recordType)),
      ("warc_file", .optional(o.archived?.file)), ("warc_offset", o.archived.map { .int($0.offset) } ?? .null),
      ("bytes_written", .int(o.bytesWritten)), ("title", .optional(o.title)), ("truncated", .bool(o.truncated)),
      ("attempts", .int(Int64(o.attempts))), ("elapsed_ms", .int(Int64(o.elapsedMs))),
      ("detail", .optional(o.detail)),
    ]).compact
  }

  /// A run's counts as JSON members.
  static func counts(_ c: RunCounts) -> [(String, JSONValue)] {
    [
      ("links", .int(Int64(c.total))), ("done", .int(Int64(c.done))), ("captured", .int(Int64(c.captured))),
      ("revisits", .int(Int64(c.revisits))), ("unchanged", .int(Int64(c.unchanged))),
      ("same_payload", .int(Int64(c.samePayload))),
      ("failed", .int(Int64(c.failed))), ("inconclusive", .int(Int64(c.inconclusive))),
      ("state_changes", .int(Int64(c.stateChanges))), ("bytes_written", .int(c.bytesWritten)),
      ("by_status", .object(c.byStatus.sorted { $0.key < $1.key }.map { ($0.key.rawValue, .int(Int64($0.value))) })),
      ("left_for_next_run", .int(Int64(c.total - c.done))),
    ]
  }

  /// `ingest now`'s summary line.
  static func ingestSummary(_ s: IngestSummary, catalog: String, warnings: [String], exit: ExitStatus) -> String {
    JSONValue.object([
      ("type", "summary"), ("command", "ingest"),
      (
        "digests",
        .object([
          ("read", .int(Int64(s.digestsRead))), ("new", .int(Int64(s.digestsNew))),
          ("updated", .int(Int64(s.digestsUpdated))), ("unchanged", .int(Int64(s.digestsUnchanged))),
          ("skipped", .int(Int64(s.problems.count))),
        ])
      ),
      ("entries", .int(Int64(s.entries))), ("source_citations", .int(Int64(s.sourceCitations))),
      ("mention_citations", .int(Int64(s.mentionCitations))), ("links", .int(Int64(s.links))),
      ("new_links", .int(Int64(s.newLinks))),
      ("capture", s.capture.map { .object(counts($0)) } ?? .null),
      ("warnings", .array(warnings.map { .string($0) })), ("catalog", .string(catalog)),
      ("exit", .int(Int64(exit.rawValue))),
    ]).compact
  }

  /// `check now`'s summary line.
  static func checkSummary(_ c: RunCounts, unknownURLs: [String], warnings: [String], exit: ExitStatus) -> String {
    JSONValue.object(
      [("type", "summary"), ("command", "check")] + counts(c) + [
        ("unknown_urls", .array(unknownURLs.map { .string($0) })),
        ("warnings", .array(warnings.map { .string($0) })), ("exit", .int(Int64(exit.rawValue))),
      ]
    ).compact
  }

  /// The summary line of a run stopped by a signal: `interrupted` (the signal's name) and
  /// `abandoned` added to `summary`, or built from `counts` when the run was abandoned.
  public static func interrupted(
    summary: String?, command: String, signal: String, abandoned: Bool, counts: RunCounts, exit: Int32
  ) -> String {
    var members: [(String, JSONValue)]
    if let summary, case .object(let parsed)? = JSONValue.parse(summary) {
      members = parsed.filter { $0.0 != "exit" }
    } else {
      members = [("type", "summary"), ("command", .string(command))] + Self.counts(counts)
    }
    members += [("interrupted", .string(signal)), ("abandoned", .bool(abandoned)), ("exit", .int(Int64(exit)))]
    return JSONValue.object(members).compact
  }
}
