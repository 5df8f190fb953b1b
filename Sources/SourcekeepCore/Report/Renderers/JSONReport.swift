/// `report --format json`: the contract schema `sourcekeep.report/1` (docs/design.md#json-report).
public enum JSONReport {
  public static let schema = "sourcekeep.report/1"

  public static func render(_ model: ReportModel) -> String {
    let out = ReportOutput.memory()
    write(model, to: out)
    return out.text
  }

  /// Writes the report as `JSONValue.pretty` would print it whole, but one link at a time:
  /// each member is printed alone at its depth (`JSONValue.pretty(atLevel:)`).
  public static func write<Input: ReportInput>(_ input: Input, to out: ReportOutput) throws(Input.Failure) {
    let summary = input.summary
    let head: [(String, JSONValue)] = [
      ("schema", .string(schema)),
      ("generated_at", .string(Timestamp.string(input.generatedAt))),
      (
        "summary",
        .object([
          ("digests", .int(Int64(summary.digests.count))),
          ("entries", .int(Int64(summary.entries))),
          ("citations", .int(Int64(summary.citations))),
          ("source_citations", .int(Int64(summary.sourceCitations))),
          ("links", .int(Int64(summary.links))),
          ("by_state", .object(summary.byState.map { ($0.0.rawValue, .int(Int64($0.1))) })),
          ("by_status", .object(summary.byStatus.map { ($0.0.rawValue, .int(Int64($0.1))) })),
          ("digests_not_on_disk", .array(summary.missingDigests.map { .string($0) })),
        ])
      ),
    ]
    out.write("{")
    for (i, (key, value)) in head.enumerated() { out.write((i > 0 ? "," : "") + member(key, value)) }
    out.write(",\n  " + JSONValue.string("links").compact + ": ")
    var first = true
    try input.forEachLink { l in
      out.write((first ? "[" : ",") + "\n    " + indented(link(l, publicURL: input.publicURL), depth: 2))
      first = false
    }
    out.write(first ? "[]" : "\n  ]")
    let tail: [(String, JSONValue)] = [
      ("publishers", .array(summary.publishers.map { group("publisher", $0) })),
      ("domains", .array(summary.domains.map { group("domain", $0) })),
      ("rot", rot(summary.rot)),
    ]
    for (key, value) in tail { out.write("," + member(key, value)) }
    out.write("\n}\n")
  }

  /// `\n  "key": value`, as a member of the top-level object.
  private static func member(_ key: String, _ value: JSONValue) -> String {
    "\n  " + JSONValue.string(key).compact + ": " + indented(value, depth: 1)
  }

  private static func indented(_ value: JSONValue, depth: Int) -> String {
    value.pretty(atLevel: depth)
  }

  /// The survival data (`RotCurve`), an additive key beside the contract's.
  static func rot(_ rot: RotCurve) -> JSONValue {
    func share(_ value: Double?) -> JSONValue {
      value.map { .double(($0 * 10_000).rounded() / 10_000) } ?? .null
    }
    return .object([
      ("definition", .string(RotCurve.definition)),
      (
        "buckets",
        .array(
          rot.buckets.map { b in
            .object([
              ("label", .string(b.label)), ("min_days", .int(Int64(b.minDays))),
              ("max_days", b.maxDays.map { .int(Int64($0)) } ?? .null), ("links", .int(Int64(b.links))),
              ("alive", .int(Int64(b.alive))), ("links_at_least", .int(Int64(b.linksAtLeast))),
              ("alive_at_least", .int(Int64(b.aliveAtLeast))), ("share_alive", share(b.survival)),
            ])
          })
      ),
      (
        "digests",
        .array(
          rot.digests.map { d in
            .object([
              ("digest", .string(d.digest)), ("digest_date", .string(d.date)), ("links", .int(Int64(d.links))),
              ("checked", .int(Int64(d.checked))), ("alive", .int(Int64(d.alive))), ("share_alive", share(d.share)),
            ])
          })
      ),
    ])
  }

  static func link(_ l: ReportModel.LinkRow, publicURL: String?) -> JSONValue {
    .object([
      ("url", .string(l.url)),
      ("final_url", .optional(l.finalURL)),
      ("state", .string(l.state.rawValue)),
      ("status", .optional(l.status?.rawValue)),
      ("reason", .optional(l.reason)),
      ("http_status", .optional(l.httpStatus)),
      ("checks", .int(Int64(l.checks))),
      ("consecutive_failures", .int(Int64(l.consecutiveFailures))),
      ("first_seen", .string(l.firstSeen)),
      ("last_checked", .optional(l.lastChecked)),
      ("last_ok", .optional(l.lastOK)),
      ("first_failure", .optional(l.firstFailure)),
      ("dead_since", .optional(l.deadSince)),
      (
        "citations",
        .array(
          l.citations.map {
            .object([
              ("digest", .string($0.digest)), ("digest_date", .string($0.digestDate)),
              ("entry", .optional($0.entry)), ("publisher", .optional($0.publisher)),
              ("role", .string($0.role.rawValue)),
            ])
          })
      ),
      (
        "snapshot",
        l.snapshot.map { s in
          .object([
            ("captured_at", .string(s.capturedAt)), ("warc_file", .string(s.warcFile)),
            ("warc_offset", .int(s.warcOffset)), ("payload_digest", .string(s.payloadDigest)),
            ("title", .optional(s.title)), ("truncated", .bool(s.truncated)),
            (
              "requisites",
              .object([
                ("captured", .int(Int64(s.requisitesCaptured))), ("total", .int(Int64(s.requisitesTotal))),
              ])
            ),
            ("readable", .bool(s.readable)),
            // The web view's address of the copy (docs/design.md#web-view), null without web.public_url.
            ("url", .optional(s.webURL(publicURL: publicURL, original: l.url))),
            // The command that prints the copy offline.
            ("command", .string(ReportModel.SnapshotRow.showCommand(l.url))),
          ])
        } ?? .null
      ),
      // A public archive's copy when sourcekeep has no good one (docs/design.md#fallback).
      (
        "fallback",
        l.fallback.map {
          .object([("source", .string($0.source)), ("url", .string($0.url)), ("timestamp", .optional($0.timestamp))])
        } ?? .null
      ),
    ])
  }

  static func group(_ key: String, _ group: ReportGroup) -> JSONValue {
    var counts: [(String, JSONValue)] = []
    for state in LinkState.allCases {
      let n = group.count(state)
      if n > 0 { counts.append((state.rawValue, .int(Int64(n)))) }
    }
    return .object([
      (key, .string(group.name)), ("links", .int(Int64(group.links))), ("by_state", .object(counts)),
    ])
  }
}
