public import Foundation

/// Which links a report covers (`--digest`, `--state`).
public struct ReportFilter: Sendable {
  /// A digest file name (`2026-02-17.md`), its stem, its date (`2026-02-17`) or path.
  public var digest: String?
  /// Only links in these states (all when empty).
  public var states: [LinkState]

  public init(digest: String? = nil, states: [LinkState] = []) {
    self.digest = digest
    self.states = states
  }
}

/// Everything a link-health report shows, read from the catalog once.
public struct ReportModel: Sendable {
  public struct CitationRow: Sendable {
    public var digest: String
    public var digestDate: String
    public var entry: String?
    public var publisher: String?
    public var role: Citation.Role
    /// 0-based position of the citation in its digest: the Markdown digest reproduction
    /// lists citations in the order the editor wrote them.
    public var position: Int = 0
    /// 0-based position of the entry in its digest (nil for links outside any `##` entry).
    public var entryPosition: Int? = nil
  }

  public struct SnapshotRow: Sendable {
    public var capturedAt: String
    public var warcFile: String
    public var warcOffset: Int64
    public var payloadDigest: String
    public var title: String?
    public var truncated: Bool
    /// Page requisites (images) archived with this capture, of those it found.
    public var requisitesCaptured = 0
    public var requisitesTotal = 0
    /// Whether the capture has a readable rendition (a WARC `conversion` record).
    public var readable = false
  }

  public struct LinkRow: Sendable {
    public var url: String
    public var host: String
    public var finalURL: String?
    public var state: LinkState
    public var status: CheckStatus?
    public var reason: String?
    public var httpStatus: Int?
    public var checks: Int
    public var consecutiveFailures: Int
    public var firstSeen: String
    public var lastChecked: String?
    public var lastOK: String?
    public var firstFailure: String?
    public var deadSince: String?
    public var citations: [CitationRow]
    public var snapshot: SnapshotRow?
    /// A public archive's copy, for a failing or dead link with no good capture of its own
    /// (docs/design.md#fallback); nil otherwise.
    public var fallback: PublicCopy? = nil
  }

  public var generatedAt: Date
  public var filter: ReportFilter
  /// Digests in scope: name and date.
  public var digests: [(name: String, date: String, title: String?)]
  public var entries: Int
  public var links: [LinkRow]
  /// Digests in scope whose file is no longer on disk.
  public var missingDigests: [String] = []
  /// The absolute `storage.dir`, so a report can give a `file://` link to a WARC file whose
  /// catalog path (`warc/….warc.gz`) is relative to it; nil leaves the paths relative.
  public var storageDir: String? = nil
  /// `web.public_url`, when set: every archive pointer becomes `<public_url>/web/<time>/<url>`.
  public var publicURL: String? = nil

  /// Citations in scope (sources and mentions).
  public var citationCount: Int { links.reduce(0) { $0 + $1.citations.count } }
  public var sourceCitationCount: Int {
    links.reduce(0) { $0 + $1.citations.filter { $0.role == .source }.count }
  }

  /// Links per state, every state present.
  public var byState: [(LinkState, Int)] {
    LinkState.allCases.map { s in (s, links.filter { $0.state == s }.count) }
  }

  /// Links per latest check status, every status present.
  public var byStatus: [(CheckStatus, Int)] {
    CheckStatus.allCases.map { s in (s, links.filter { $0.status == s }.count) }
  }

  /// Links that need the editor's attention (every state but `alive`), worst first: dead,
  /// failing, drifted, unknown, pending; then in catalog order.
  public var attention: [LinkRow] {
    Self.attentionOrder.flatMap { state in links.filter { $0.state == state } }
  }

  /// The states that need attention, worst first.
  static let attentionOrder: [LinkState] = [.dead, .failing, .drifted, .unknown, .pending]

  /// Publisher → its links, from the link text of source (`来源`) citations.
  ///
  /// A mention's link text ("官网公告") names no publisher, so links cited only as mentions
  /// are grouped under `(mentions)` rather than inventing publishers.
  public var publishers: [(publisher: String, links: [LinkRow])] {
    group { link in
      let names = Set(link.citations.filter { $0.role == .source }.compactMap(\.publisher))
      return names.isEmpty ? ["(mentions)"] : names
    }
  }

  /// Host → its links.
  public var domains: [(domain: String, links: [LinkRow])] {
    group { link in [link.host.isEmpty ? "(\(urlScheme(of: link.url)))" : link.host] }
  }

  private func group(_ keys: (LinkRow) -> Set<String>) -> [(String, [LinkRow])] {
    var groups: [String: [LinkRow]] = [:]
    for link in links {
      for key in keys(link) { groups[key, default: []].append(link) }
    }
    return groups.map { ($0.key, $0.value) }.sorted { a, b in
      a.1.count != b.1.count ? a.1.count > b.1.count : a.0 < b.0
    }
  }
}

func urlScheme(of url: String) -> String {
  String(url.split(separator: ":", maxSplits: 1).first ?? "")
}

extension ReportModel.LinkRow {
  /// `soft-404 (deleted) · HTTP 200`: the last check in one phrase, for every renderer.
  public var statusText: String {
    guard let status else { return "not checked yet" }
    var parts = [status.rawValue + (reason.map { " (\($0))" } ?? "")]
    if let httpStatus { parts.append("HTTP \(httpStatus)") }
    return parts.joined(separator: " · ")
  }

  /// `first failure … · dead since …` (empty when the link never failed).
  public var failureText: String {
    var parts: [String] = []
    if let firstFailure { parts.append("first failure \(ReportTime.short(firstFailure))") }
    if let deadSince { parts.append("dead since \(ReportTime.short(deadSince))") }
    return parts.joined(separator: " · ")
  }
}
