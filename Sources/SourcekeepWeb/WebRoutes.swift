import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SourcekeepCore

/// The web view's routes (docs/design.md#web-view, a contract): each handler reads the archive and
/// hands a page builder plain values. Percent-decoded parameters are only ever looked up in
/// the catalog, never used as paths.
struct WebRoutes: Sendable {
  let archive: WebArchive
  /// `https://archive.example.org` from `[web] public_url`, or "" to use the request's host.
  let publicURL: String
  let cache = PageCache()
  /// How long one request may take (`RequestTimeLimit`).
  var timeLimit = RequestTimeLimit.standard

  func register(on router: Router<WebRequestContext>) {
    // Every route answers GET and HEAD alike (HEAD: the same headers, no body), within the
    // time limit.
    func route(
      _ path: RouterPath,
      _ handler: @escaping @Sendable (Request, WebRequestContext) async throws -> Response
    ) {
      let limited = timeLimit.wrap(handler)
      router.get(path, use: limited)
      router.head(path, use: limited)
    }
    route("/") { _, _ in try home() }
    route("/healthz") { _, _ in try healthz() }
    route("/static/site.css") { _, _ in stylesheet() }
    route("/digests/:name") { _, context in try digest(context.parameters.get("name") ?? "") }
    route("/links/:id") { _, context in try link(id: context.parameters.get("id").flatMap { Int64($0) }) }
    route("/links") { request, _ in try link(url: request.uri.queryParameters.get("url")) }
    route("/search") { request, _ in
      try search(request.uri.queryParameters.get("q") ?? "", page: request.uri.queryParameters.get("page"))
    }
    for format in ["json", "csv", "md"] {
      route(RouterPath("/report.\(format)")) { request, context in
        report(
          format, digest: request.uri.queryParameters.get("digest"),
          states: request.uri.queryParameters.getAll("state"), head: request.method == .head, logger: context.logger)
      }
    }
    route("/metrics") { _, _ in
      WebResponses.body(try MetricsPage.render(archive), type: "text/plain; version=0.0.4; charset=utf-8")
    }
    route("/web/**") { request, _ in try wayback(request) }
  }

  // MARK: Pages

  func home() throws -> Response {
    WebResponses.html(
      try cache.page("/") {
        HomePage.render(
          try archive.catalog.homeSummary(digestLimit: HomePage.digestLimit, attentionLimit: HomePage.attentionLimit))
      })
  }

  func healthz() throws -> Response {
    _ = try archive.catalog.totals()
    return WebResponses.body("ok\n", type: "text/plain; charset=utf-8")
  }

  func stylesheet() -> Response {
    var headers = HTTPFields()
    headers[.cacheControl] = "public, max-age=3600"
    return WebResponses.body(
      PageLayout.css + HomePage.widthCSS + "\n", type: "text/css; charset=utf-8", headers: headers)
  }

  func digest(_ raw: String) throws -> Response {
    guard let name = WebPath.decode(Substring(raw)), !name.isEmpty else { return WebResponses.notFound() }
    var found = true
    let page = try cache.page("/digests/" + name) {
      let model = try archive.catalog.reportModel(filter: ReportFilter(digest: name))
      guard !model.digests.isEmpty else {
        found = false
        return ""
      }
      let repair = DigestPage.repairText(MarkdownReport.render(model))
      return DigestPage.render(model, repair: repair)
    }
    guard found, !page.isEmpty else { return WebResponses.notFound("No digest has this name or date.") }
    return WebResponses.html(page)
  }

  func link(id: Int64?) throws -> Response {
    guard let id, let history = try archive.catalog.linkHistory(id: id) else {
      return WebResponses.notFound("No link has this number.")
    }
    let changes = LinkPage.changes(history, machine: LinkStateMachine(health: archive.config.health))
    return WebResponses.html(LinkPage.render(history, changes: changes))
  }

  func link(url: String?) throws -> Response {
    guard let url, !url.isEmpty, let id = try archive.catalog.linkID(forURL: url) else {
      return WebResponses.notFound("No cited link has this URL.")
    }
    return try link(id: id)
  }

  func search(_ query: String, page rawPage: String?) throws -> Response {
    let page = max(1, min(Int(rawPage ?? "1") ?? 1, SearchPage.maxResults / SearchPage.pageSize))
    let trimmed = String(query.prefix(200))
    let offset = (page - 1) * SearchPage.pageSize
    let hits = Array(try archive.catalog.search(trimmed, limit: offset + SearchPage.pageSize + 1).dropFirst(offset))
    let states = try archive.catalog.linkStates(forURLs: hits.map(\.url))
    return WebResponses.html(SearchPage.render(query: trimmed, page: page, hits: hits, states: states))
  }

  /// A report download, streamed as the catalog is read (`ReportStream`); HEAD gets the headers only.
  func report(_ format: String, digest: String?, states raw: [String], head: Bool, logger: Logger) -> Response {
    var states: [LinkState] = []
    for name in raw.flatMap({ $0.split(separator: ",") }) {
      guard let state = LinkState(rawValue: String(name)) else {
        return WebResponses.error(
          .badRequest, "Unknown state; use one of " + LinkState.allCases.map(\.rawValue).joined(separator: ", ") + ".")
      }
      states.append(state)
    }
    let filter = ReportFilter(digest: digest.flatMap { $0.isEmpty ? nil : $0 }, states: states)
    let kind: (ReportFormat, String) =
      switch format {
      case "json": (.json, "application/json; charset=utf-8")
      case "csv": (.csv, "text/csv; charset=utf-8")
      default: (.markdown, "text/markdown; charset=utf-8")
      }
    var headers = HTTPFields()
    headers[.contentDisposition] = "inline; filename=\"sourcekeep-report.\(format)\""
    headers[.contentType] = kind.1
    let body =
      head
      ? ResponseBody()
      : ReportStream.body(
        archive.catalog, filter: filter, format: kind.0, publicURL: publicURL.isEmpty ? nil : publicURL, logger: logger)
    return Response(status: .ok, headers: headers, body: body)
  }

  // MARK: Archived copies and Memento

  func wayback(_ request: Request) throws -> Response {
    guard let target = WaybackTarget.parse(request.head.path ?? "") else {
      return WebResponses.notFound("Archived addresses look like /web/20260217080000/https://example.org/page.")
    }
    let origin = self.origin(request)
    switch target {
    case .timemap(let url):
      let (canonical, mementos) = try archive.mementos(for: url)
      guard !mementos.isEmpty else { return WebResponses.notFound() }
      let links = MementoLinks(origin: origin, url: canonical, mementos: mementos)
      return WebResponses.body(links.timemapBody, type: "application/link-format; charset=utf-8")
    case .timegate(let url):
      return try timegate(url, request: request, origin: origin)
    case .memento(let timestamp, let modifier, let url):
      return try memento(timestamp, modifier, url, origin: origin)
    }
  }

  func timegate(_ url: String, request: Request, origin: String) throws -> Response {
    let (canonical, mementos) = try archive.mementos(for: url)
    var target = Date.distantFuture  // no Accept-Datetime: the newest capture
    if let accept = request.headers[.acceptDatetime] {
      guard let date = MementoTime.parseHTTPDate(accept) else {
        var response = WebResponses.error(
          .badRequest, "Accept-Datetime must be an HTTP date such as Tue, 17 Feb 2026 08:00:00 GMT.")
        response.headers[.vary] = "accept-datetime"
        return response
      }
      target = date
    }
    guard let chosen = MementoTime.nearest(mementos, to: target) else {
      var response = WebResponses.notFound()
      response.headers[.vary] = "accept-datetime"
      return response
    }
    let links = MementoLinks(origin: origin, url: canonical, mementos: mementos)
    var headers = HTTPFields()
    headers[.location] = links.uri(chosen)
    headers[.vary] = "accept-datetime"
    headers[.link] = links.timegateHeader
    return WebResponses.body("", type: "text/plain; charset=utf-8", status: .found, headers: headers)
  }

  func memento(_ timestamp: String, _ modifier: WaybackTarget.Modifier, _ url: String, origin: String) throws
    -> Response
  {
    guard let when = MementoTime.date(fromDigits: timestamp) else { return WebResponses.notFound() }
    // An image: the page requisite archived nearest the time (docs/design.md#page-requisites).
    if modifier == .image, let (image, fetched) = try archive.requisite(url, nearest: when) {
      var headers = HTTPFields()
      headers[.mementoDatetime] = MementoTime.httpDate(fetched)
      headers[.contentSecurityPolicy] = SecurityHeadersMiddleware<WebRequestContext>.archivedPolicy
      headers[.cacheControl] = "public, max-age=86400, immutable"
      if let coding = image.contentEncoding { headers[.contentEncoding] = coding }
      return WebResponses.bytes(
        image.body, type: Self.safeType(image.contentType ?? "application/octet-stream"), headers: headers)
    }
    guard let found = try archive.lookup(url), let chosen = MementoTime.nearest(found.mementos, to: when),
      let index = found.mementos.firstIndex(of: chosen)
    else {
      return WebResponses.notFound()
    }
    let mementos = found.mementos
    let canonical = chosen.url
    let links = MementoLinks(origin: origin, url: canonical, mementos: mementos)
    let exact = MementoTime.digits(chosen.capturedAt)
    // Wayback's convention: an inexact timestamp redirects to the capture's own address, so
    // each memento has one URI (RFC 7089 URI-M) and the page's relative links stay right.
    if exact != timestamp {
      var headers = HTTPFields()
      headers[.location] = origin + WebPath.memento(exact, canonical, modifier: modifier.rawValue)
      headers[.link] = links.header(for: index)
      return WebResponses.body("", type: "text/plain; charset=utf-8", status: .found, headers: headers)
    }
    var headers = HTTPFields()
    headers[.mementoDatetime] = MementoTime.httpDate(chosen.date)
    headers[.link] = links.header(for: index)
    switch modifier {
    case .readable:
      let rendition = archive.readable(chosen, among: mementos)
      let page = CopyPage.render(
        memento: chosen, all: mementos, state: found.state, text: rendition == nil ? try archive.text(chosen) : nil,
        rendition: rendition)
      var response = WebResponses.html(page)
      for field in headers { response.headers.append(field) }
      return response
    case .original, .image:
      let archived = try archive.response(chosen)
      headers[.contentSecurityPolicy] = SecurityHeadersMiddleware<WebRequestContext>.archivedPolicy
      if let coding = archived.contentEncoding { headers[.contentEncoding] = coding }
      headers[.cacheControl] = "public, max-age=86400, immutable"
      let type = archived.contentType ?? "application/octet-stream"
      // Served as 200 whatever the archived status: a replayed 3xx must not send the
      // browser to the live web (its Location is not copied either).
      return WebResponses.bytes(archived.body, type: Self.safeType(type), headers: headers)
    }
  }

  /// The archived content type, unless it could make the browser run the bytes as script or
  /// treat them as something other than a sandboxed document or a plain resource.
  static func safeType(_ type: String) -> String {
    let cleaned = type.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F }.map(String.init).joined()
    return cleaned.isEmpty ? "application/octet-stream" : cleaned
  }

  /// `public_url` without its trailing slash, else `http://<Host>` when the Host header is
  /// a plain host[:port], else "" (relative links).
  func origin(_ request: Request) -> String {
    if !publicURL.isEmpty { return publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL }
    guard let host = request.head.authority, !host.isEmpty, host.count < 256,
      host.unicodeScalars.allSatisfy({
        $0.isASCII && (CharacterSet.alphanumerics.contains($0) || ".-:[]".unicodeScalars.contains($0))
      })
    else { return "" }
    return "http://" + host
  }
}
