/// `report --format json`: the contract schema `sourcekeep.report/1` (docs/design.md#json-report).
public enum JSONReport {
  public static let schema = "sourcekeep.report/1"

  public static func render(_ model: ReportModel) -> String {
    value(model).pretty + "\n"
  }

  public static func value(_ model: ReportModel) -> JSONValue {
    .object([
      ("schema", .string(schema)),
      ("generated_at", .string(Timestamp.string(model.generatedAt))),
      (
        "summary",
        .object([
          ("digests", .int(Int64(model.digests.count))),
          ("entries", .int(Int64(model.entries))),
          ("citations", .int(Int64(model.citationCount))),
          ("source_citations", .int(Int64(model.sourceCitationCount))),
          ("links", .int(Int64(model.links.count))),
          ("by_state", .object(model.byState.map { ($0.0.rawValue, .int(Int64($0.1))) })),
          ("by_status", .object(model.byStatus.map { ($0.0.rawValue, .int(Int64($0.1))) })),
        ])
      ),
      ("links", .array(model.links.map(link))),
      ("publishers", .array(model.publishers.map { group("publisher", $0.publisher, $0.links) })),
      ("domains", .array(model.domains.map { group("domain", $0.domain, $0.links) })),
      ("rot", rot(RotCurve(model))),
    ])
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

  static func link(_ l: ReportModel.LinkRow) -> JSONValue {
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
          ])
        } ?? .null
      ),
    ])
  }

  static func group(_ key: String, _ name: String, _ links: [ReportModel.LinkRow]) -> JSONValue {
    var counts: [(String, JSONValue)] = []
    for state in LinkState.allCases {
      let n = links.filter { $0.state == state }.count
      if n > 0 { counts.append((state.rawValue, .int(Int64(n)))) }
    }
    return .object([(key, .string(name)), ("links", .int(Int64(links.count))), ("by_state", .object(counts))])
  }
}
