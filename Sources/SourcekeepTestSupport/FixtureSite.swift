import Foundation

/// The project's fixture pages (`Tests/Fixtures/pages/expected.json`) served on a
/// `FixtureServer` exactly as Tests/Fixtures/README.md says: each page at its URL with its status and
/// Content-Type, the redirect hops before it, anything else 404.
public struct FixtureSite: Sendable {
  /// One page of expected.json, with the fields tests compare.
  public struct Page: Sendable {
    public var file: String
    public var url: String
    public var citedURL: String?
    public var status: Int
    public var contentType: String
    public var classification: String
    public var reason: String?
    public var publisher: String
    public var title: String?
    public var body: [UInt8]
    public var redirects: [(url: String, status: Int, location: String)]
  }

  public let pages: [Page]

  /// Reads expected.json and the page files.
  public init() throws {
    let root = TestFixtures.url("pages")
    let data = try Data(contentsOf: root.appendingPathComponent("expected.json"))
    let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    var pages: [Page] = []
    for entry in json["pages"] as? [[String: Any]] ?? [] {
      let file = entry["file"] as? String ?? ""
      let article = entry["article"] as? [String: Any]
      let citation = entry["digest_citation"] as? [String: Any]
      let redirects = (entry["redirect_from"] as? [[String: Any]] ?? []).map {
        (
          url: $0["url"] as? String ?? "", status: $0["status"] as? Int ?? 302,
          location: $0["location"] as? String ?? ""
        )
      }
      pages.append(
        Page(
          file: file, url: entry["url"] as? String ?? "", citedURL: entry["cited_url"] as? String,
          status: entry["status"] as? Int ?? 200, contentType: entry["content_type"] as? String ?? "text/html",
          classification: entry["classification"] as? String ?? "", reason: entry["reason"] as? String,
          publisher: citation?["publisher"] as? String ?? "", title: article?["title"] as? String,
          body: [UInt8](try Data(contentsOf: root.appendingPathComponent(file))), redirects: redirects))
    }
    self.pages = pages
  }

  /// The page stored in `file`.
  /// - Throws: when expected.json has no such page.
  public func page(_ file: String) throws -> Page {
    guard let page = pages.first(where: { $0.file == file }) else {
      throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: TestFixtures.url("pages/" + file).path])
    }
    return page
  }

  /// Serves every page (and its redirect hops) on `server`.
  public func serve(on server: FixtureServer) {
    for page in pages {
      server.serve(
        page.url,
        FixtureServer.StaticPage(status: page.status, headers: ["Content-Type: \(page.contentType)"], body: page.body))
      for hop in page.redirects {
        server.serve(
          hop.url,
          FixtureServer.StaticPage(
            status: hop.status, headers: ["Location: \(server.url(hop.location))", "Content-Type: text/html"],
            body: Array("<html><body>moved</body></html>".utf8)))
      }
    }
  }

  /// The fixture digest with `{BASE}` replaced by the server's base URL.
  public static func digest(base: String) throws -> String {
    try String(contentsOf: TestFixtures.url(TestFixtures.digestTemplate), encoding: .utf8)
      .replacingOccurrences(of: "{BASE}", with: base)
  }
}
