public import Foundation

/// Links of one group (a publisher or a domain) and how many are in each state.
public struct ReportGroup: Sendable, Equatable {
  public var name: String
  public var links: Int
  public var byState: [LinkState: Int]

  public init(name: String, links: Int, byState: [LinkState: Int]) {
    self.name = name
    self.links = links
    self.byState = byState
  }

  /// Links of the group in `state`.
  public func count(_ state: LinkState) -> Int { byState[state] ?? 0 }

  /// Biggest groups first, then by name: the order every report lists them in.
  static func sorted(_ groups: [ReportGroup]) -> [ReportGroup] {
    groups.sorted { a, b in a.links != b.links ? a.links > b.links : a.name < b.name }
  }
}

/// What a report prints above, between and below its link lists: counts, groups and the rot
/// curve. Small whatever the catalog's size (one row per digest, publisher, domain, state), so
/// a streamed report computes it first and then writes the links as it reads them
/// (docs/performance.md#scale).
public struct ReportSummary: Sendable {
  /// Digests in scope: name, date and title, by date then name.
  public var digests: [(name: String, date: String, title: String?)]
  public var entries: Int
  /// Citations in scope (sources and mentions), and of those the sources.
  public var citations: Int
  public var sourceCitations: Int
  /// Links in scope.
  public var links: Int
  /// Links per state and per latest check status, every one present.
  public var byState: [(LinkState, Int)]
  public var byStatus: [(CheckStatus, Int)]
  public var publishers: [ReportGroup]
  public var domains: [ReportGroup]
  public var rot: RotCurve
  /// Digests in scope whose file is no longer on disk (their links are still checked until
  /// `sourcekeep forget --digest NAME`).
  public var missingDigests: [String] = []

  /// Links that are not alive: the length of the attention list.
  public var attention: Int { byState.filter { $0.0 != .alive }.reduce(0) { $0 + $1.1 } }
}

/// What every report renderer reads: the summary, computed before the first link is written,
/// and the links, handed over one at a time as they are read.
///
/// Two sources: `ReportModel` (everything in memory, for small catalogs and tests) and the
/// catalog itself (`Catalog.withReport`), which streams rows out of one read transaction so
/// memory does not grow with the number of links. Both give the same bytes (a unit test).
public protocol ReportInput {
  associatedtype Failure: Error
  var generatedAt: Date { get }
  var filter: ReportFilter { get }
  /// The absolute `storage.dir`, for `file://` links; nil leaves WARC paths relative.
  var storageDir: String? { get }
  /// `web.public_url` (nil when unset): archive pointers become the web view's addresses.
  var publicURL: String? { get }
  var summary: ReportSummary { get }
  /// Every link in scope, in catalog order.
  func forEachLink(_ body: (ReportModel.LinkRow) -> Void) throws(Failure)
  /// The links that need attention, worst first (dead, failing, drifted, unknown, pending), then
  /// in catalog order.
  func forEachAttentionLink(_ body: (ReportModel.LinkRow) -> Void) throws(Failure)
  /// `forEachAttentionLink` without the links in the states `skipping`, which are not read at
  /// all (the text report counts pending links from the summary: docs/design.md#text-report).
  func forEachAttentionLink(skipping: Set<LinkState>, _ body: (ReportModel.LinkRow) -> Void) throws(Failure)
  /// The citations in scope of the digest(s) named `digest`, in the digest's order, each with
  /// its link (the Markdown repair view).
  func citations(inDigest digest: String) throws(Failure) -> [(
    link: ReportModel.LinkRow, citation: ReportModel.CitationRow
  )]
}

extension ReportInput {
  public func forEachAttentionLink(skipping: Set<LinkState>, _ body: (ReportModel.LinkRow) -> Void)
    throws(Failure)
  {
    try forEachAttentionLink { link in
      if !skipping.contains(link.state) { body(link) }
    }
  }
}

extension ReportModel: ReportInput {
  public typealias Failure = Never

  public var summary: ReportSummary {
    ReportSummary(
      digests: digests, entries: entries, citations: citationCount, sourceCitations: sourceCitationCount,
      links: links.count, byState: byState, byStatus: byStatus,
      publishers: publishers.map { ReportGroup(name: $0.publisher, links: $0.links) },
      domains: domains.map { ReportGroup(name: $0.domain, links: $0.links) }, rot: RotCurve(self),
      missingDigests: missingDigests)
  }

  public func forEachLink(_ body: (LinkRow) -> Void) {
    for link in links { body(link) }
  }

  public func forEachAttentionLink(_ body: (LinkRow) -> Void) {
    for link in attention { body(link) }
  }

  public func citations(inDigest digest: String) -> [(link: LinkRow, citation: CitationRow)] {
    var rows: [(link: LinkRow, citation: CitationRow)] = []
    for link in links {
      for c in link.citations where c.digest == digest { rows.append((link, c)) }
    }
    return rows
  }
}

extension ReportGroup {
  /// A group from the links it holds.
  init(name: String, links: [ReportModel.LinkRow]) {
    var byState: [LinkState: Int] = [:]
    for link in links { byState[link.state, default: 0] += 1 }
    self.init(name: name, links: links.count, byState: byState)
  }
}
