/// What one page says about itself (docs/design.md#extract, a contract).
///
/// The stage value between the fetcher and the classifier (docs/architecture.md#stage-values). Encodes to the
/// contract JSON with exactly its snake_case keys; `blockedEvidence` is for reports and
/// logs only and is not part of the JSON.
public struct PageFacts: Sendable, Codable, Equatable {
  /// The URL the page was fetched from (as given), if known.
  public var url: String?
  /// `<link rel=canonical>`, `og:url` or WeChat's `msg_link`, made absolute.
  public var canonicalURL: String?
  /// The article's title, without a site-name suffix.
  public var title: String?
  /// The site's name (`og:site_name`; for WeChat that is "微信公众平台").
  public var siteName: String?
  /// Who published it (JSON-LD publisher; for WeChat the official account).
  public var publisher: String?
  /// The author(s), comma-separated.
  public var author: String?
  /// Publish time, ISO-8601 with its offset (WeChat: `+08:00`).
  public var published: String?
  /// The declared language tag (e.g. `zh-CN`).
  public var language: String?
  /// The page's own summary.
  public var description: String?
  /// Main text: paragraphs separated by blank lines, headings and list items as lines.
  public var text: String
  /// Absolute URLs of the body's images, in order.
  public var images: [String]
  /// Absolute http(s) URLs linked from the body, in order, without repeats.
  public var links: [String]
  /// The charset the page was decoded with (lower-case label, e.g. `utf-8`, `gbk`).
  public var charset: String
  /// Set when the page says its content is gone.
  public var soft404: Soft404?
  /// Whether the page is a bot wall or verification page (inconclusive).
  public var blocked: Bool
  /// The sentence that made the page `blocked` (not in the contract JSON).
  public var blockedEvidence: String? = nil
  /// WeChat: the permanent long link `https://mp.weixin.qq.com/s?__biz=…&mid=…&idx=…&sn=…`
  /// built from the page's `biz/mid/idx/sn` variables, to dedupe short and long citations
  /// (not in the contract JSON).
  public var longURL: String? = nil
  /// WeChat migrated account: the new article URL from `transferTargetLink` (not in the JSON).
  public var transferTarget: String? = nil
  /// The main content as ordered blocks (not in the contract JSON; `extract --format json`
  /// adds them as `blocks`).
  public var blocks: [ContentBlock] = []
  /// The images to archive with the page (its page requisites: main-content images at their
  /// largest size and the cover), absolute http(s), in order (not in the contract JSON;
  /// docs/design.md#page-requisites).
  public var requisites: [String] = []

  enum CodingKeys: String, CodingKey {
    case url
    case canonicalURL = "canonical_url"
    case title
    case siteName = "site_name"
    case publisher, author, published, language, description, text, images, links, charset, soft404, blocked
  }

  public init(
    url: String?, canonicalURL: String?, title: String?, siteName: String?, publisher: String?,
    author: String?, published: String?, language: String?, description: String?, text: String,
    images: [String], links: [String], charset: String, soft404: Soft404?, blocked: Bool,
    blockedEvidence: String? = nil
  ) {
    self.url = url
    self.canonicalURL = canonicalURL
    self.title = title
    self.siteName = siteName
    self.publisher = publisher
    self.author = author
    self.published = published
    self.language = language
    self.description = description
    self.text = text
    self.images = images
    self.links = links
    self.charset = charset
    self.soft404 = soft404
    self.blocked = blocked
    self.blockedEvidence = blockedEvidence
  }

  /// Equal when every field but `blocks` is: the blocks restate `text` and `images`, and the
  /// contract JSON, which round-trips, does not carry them.
  public static func == (a: PageFacts, b: PageFacts) -> Bool {
    a.url == b.url && a.canonicalURL == b.canonicalURL && a.title == b.title && a.siteName == b.siteName
      && a.publisher == b.publisher && a.author == b.author && a.published == b.published
      && a.language == b.language && a.description == b.description && a.text == b.text
      && a.images == b.images && a.links == b.links && a.charset == b.charset && a.soft404 == b.soft404
      && a.blocked == b.blocked && a.blockedEvidence == b.blockedEvidence && a.longURL == b.longURL
      && a.transferTarget == b.transferTarget
  }

  /// Encodes every contract key, writing `null` for absent values (the contract lists them all).
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(url, forKey: .url)
    try c.encode(canonicalURL, forKey: .canonicalURL)
    try c.encode(title, forKey: .title)
    try c.encode(siteName, forKey: .siteName)
    try c.encode(publisher, forKey: .publisher)
    try c.encode(author, forKey: .author)
    try c.encode(published, forKey: .published)
    try c.encode(language, forKey: .language)
    try c.encode(description, forKey: .description)
    try c.encode(text, forKey: .text)
    try c.encode(images, forKey: .images)
    try c.encode(links, forKey: .links)
    try c.encode(charset, forKey: .charset)
    try c.encode(soft404, forKey: .soft404)
    try c.encode(blocked, forKey: .blocked)
  }
}
