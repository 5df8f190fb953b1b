/// A digest file as read: its entries and the links it cites.
public struct Digest: Sendable, Equatable {
  /// Absolute path of the file.
  public var path: String
  /// File name (`2026-02-17.md`), how reports name the digest.
  public var name: String
  /// SHA-256 of the file's bytes; an unchanged hash means nothing to re-read.
  public var contentHash: String
  /// The `#` heading (or HTML `<title>`), if any.
  public var title: String?
  /// `YYYY-MM-DD`: the digest's publication date.
  public var date: String
  /// Where `date` came from.
  public var dateSource: DateSource
  /// `##` entries in order.
  public var entries: [DigestEntry]
  /// Every link the digest cites, in document order.
  public var citations: [Citation]

  /// Where a digest's date was found.
  public enum DateSource: String, Sendable, Codable {
    /// `# … 2026年02月17日` (or an ISO date) in the title heading.
    case heading
    /// `YYYY-MM-DD` in the file name.
    case fileName = "file-name"
    /// The file's modification time (UTC).
    case mtime
  }
}

/// One `##` entry of a digest.
public struct DigestEntry: Sendable, Equatable {
  /// 0-based position in the digest.
  public var position: Int
  public var title: String
  /// `> **分类：** …`
  public var category: String?
  /// `**核心洞察：** …`
  public var insight: String?
  /// Bullets of `**内容简介：**` (or any list in the entry).
  public var bullets: [String]
}

/// One citation of a link: where the digest cites it and as what.
public struct Citation: Sendable, Equatable {
  /// Why the digest links here.
  public enum Role: String, Sendable, Codable, CaseIterable {
    /// Listed on the entry's `来源` (source) line: the article the entry is based on.
    case source
    /// Any other link in the entry.
    case mention
  }

  public var role: Role
  /// The link text on a source line (the publisher's name); for mentions, the link text.
  public var publisher: String?
  /// The entry's position, or nil for links outside any entry.
  public var entryPosition: Int?
  /// The entry title, or the nearest heading for links outside an entry.
  public var entryTitle: String?
  /// The URL as written.
  public var rawURL: String
  /// The normalised link.
  public var url: NormalizedURL
  /// 1-based line in the file (0 when unknown).
  public var line: Int
}
