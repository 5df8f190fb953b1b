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
  }

  public struct SnapshotRow: Sendable {
    public var capturedAt: String
    public var warcFile: String
    public var warcOffset: Int64
    public var payloadDigest: String
    public var title: String?
    public var truncated: Bool
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
  }

  public var generatedAt: Date
  public var filter: ReportFilter
  /// Digests in scope: name and date.
  public var digests: [(name: String, date: String, title: String?)]
  public var entries: Int
  public var links: [LinkRow]

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

  /// Publisher → its links, from the citations' link text (source citations first).
  public var publishers: [(publisher: String, links: [LinkRow])] {
    group { link in Set(link.citations.compactMap(\.publisher)) }
  }

  /// Host → its links.
  public var domains: [(domain: String, links: [LinkRow])] {
    group { link in [link.host.isEmpty ? "(\(URLSchemeOf(link.url)))" : link.host] }
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

func URLSchemeOf(_ url: String) -> String {
  String(url.split(separator: ":", maxSplits: 1).first ?? "")
}
