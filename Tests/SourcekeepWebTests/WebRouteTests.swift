import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SourcekeepCore
import SourcekeepWeb
import Testing

/// One store for the suite: building it runs the real pipeline (two seconds of waits).
actor SharedStore {
  static let instance = SharedStore()
  // A task, not a value: suites run in parallel, and a second caller arriving while the
  // first builds the store must wait for that one rather than build its own.
  private var building: Task<WebStore, any Error>?
  func get() async throws -> WebStore {
    if let building { return try await building.value }
    let task = Task { try await WebStore() }
    building = task
    return try await task.value
  }
}

/// Runs `body` against the web view's router over `store` (HummingbirdTesting's router
/// framework: real routing, middleware and responses, no socket).
func withWebClient(
  _ store: WebStore, settings: WebSettings = WebSettings(listen: "127.0.0.1:0"), htpasswd: Htpasswd? = nil,
  _ body: @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
  let router = WebServer.router(
    catalog: try store.readCatalog(), config: store.config, settings: settings, htpasswd: htpasswd,
    logger: Logger(label: "test"))
  let app = Application(router: router)
  try await app.test(.router) { client in try await body(client) }
}

extension TestResponse {
  var text: String { String(buffer: body) }
}

/// Checks the headers every response carries (docs/design.md#web-view).
func expectSecurityHeaders(_ response: TestResponse, archived: Bool = false) {
  #expect(response.headers[.xContentTypeOptions] == "nosniff")
  #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
  let csp = response.headers[.contentSecurityPolicy] ?? ""
  if archived {
    #expect(csp.hasPrefix("sandbox"))
  } else {
    #expect(csp.contains("default-src 'none'"))
    #expect(csp.contains("frame-ancestors 'none'"))
    #expect(!csp.contains("script-src"))
  }
}

@Suite("Web routes", .serialized)
struct WebRouteTests {
  @Test func frontPageListsDigestsAndAttention() async throws {
    let store = try await SharedStore.instance.get()
    try await withWebClient(store) { client in
      try await client.execute(uri: "/", method: .get) { r in
        #expect(r.status == .ok)
        #expect(r.headers[.contentType] == "text/html; charset=utf-8")
        expectSecurityHeaders(r)
        #expect(r.text.contains("/digests/2026-03-09.md"))
        #expect(r.text.contains("Needs attention"))
        #expect(r.text.contains("badge s-dead"))
      }
    }
  }

  @Test func digestPageShowsEntriesCitationsAndRepair() async throws {
    let store = try await SharedStore.instance.get()
    try await withWebClient(store) { client in
      for name in ["2026-03-09.md", "2026-03-09"] {
        try await client.execute(uri: "/digests/\(name)", method: .get) { r in
          #expect(r.status == .ok)
          expectSecurityHeaders(r)
          let html = r.text
          #expect(html.contains("云雀-7开源：稀疏专家架构"))
          #expect(html.contains("极光视点"))
          #expect(html.contains("<textarea class=\"repair\" readonly"))
          // The hostile publisher is text, the javascript: citation is no link.
          // The publisher's markup is dropped by the digest reader; its quotes are escaped.
          #expect(!html.contains(">\"坏\"<"))
          #expect(html.contains("&quot;坏&quot;"))
          #expect(!html.contains("href=\"javascript:"))
          #expect(html.contains("javascript:alert(1)"))
        }
      }
      try await client.execute(uri: "/digests/2031-01-01", method: .get) { r in
        #expect(r.status == .notFound)
        expectSecurityHeaders(r)
      }
    }
  }

  @Test func linkPageShowsChecksCapturesAndCitations() async throws {
    let store = try await SharedStore.instance.get()
    let catalog = try store.readCatalog()
    let id = try #require(try catalog.linkID(forURL: store.dyingURL))
    try await withWebClient(store) { client in
      try await client.execute(uri: "/links/\(id)", method: .get) { r in
        #expect(r.status == .ok)
        let html = r.text
        #expect(html.contains("badge s-dead"))
        #expect(html.contains("Captures (2)"))
        #expect(html.contains("Checks (4)"))
        // The capture's and the re-check's rows name the capture that holds their payload; the
        // two 404s have none (docs/design.md#revisits-on-re-check).
        #expect(html.components(separatedBy: ">as captured ").count - 1 == 2, "\(html)")
        #expect(html.contains(">gone<"))
        #expect(html.contains("2026-03-09.md"))
        #expect(html.contains("100%"))  // the second capture's similarity to the first
        #expect(html.contains("State changes"))
      }
      let query = "/links?url=" + store.dyingURL.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
      try await client.execute(uri: query, method: .get) { r in
        #expect(r.status == .ok)
        #expect(r.text.contains("Captures (2)"))
      }
      for bad in ["/links/999999", "/links/abc", "/links?url=https%3A%2F%2Fnowhere.example%2F"] {
        try await client.execute(uri: bad, method: .get) { r in
          #expect(r.status == .notFound)
          #expect(!r.text.contains("nowhere.example"))
        }
      }
    }
  }

  @Test func hostileTitleAndURLAreInert() async throws {
    let store = try await SharedStore.instance.get()
    let catalog = try store.readCatalog()
    let dump = try catalog.dump().prefix(3000)
    let id = try #require(try catalog.linkID(forURL: store.hostileURL), "\(dump)")
    let memento = try #require(try catalog.mementos(linkID: id).last, "no capture of \(store.hostileURL)")
    let ts = String(memento.capturedAt.filter(\.isNumber).prefix(14))
    try await withWebClient(store) { client in
      for uri in ["/links/\(id)", "/web/\(ts)/\(store.hostileURL)", "/search?q=%E6%AD%A3%E6%96%87"] {
        try await client.execute(uri: uri, method: .get) { r in
          #expect(r.status == .ok, "\(uri)")
          let html = r.text
          #expect(!html.contains("<script"), "\(uri)")
          #expect(!html.contains("\u{202E}"), "\(uri)")
          #expect(html.contains("&lt;script&gt;"), "\(uri)")
          #expect(!html.contains("\"quoted\""), "\(uri)")
          // The archived page's own links: only http(s) ones may be links.
          #expect(!html.contains("href=\"javascript:"), "\(uri)")
          #expect(!html.contains("href=\"data:text"), "\(uri)")
        }
      }
      // Input echoed nowhere unescaped: a hostile path is a plain 404.
      for uri in [
        "/web/2026/javascript:alert(1)", "/web/2026/https://x.example/%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
        "/nothing/%3Cscript%3Ealert(1)%3C/script%3E", "/digests/%3Cscript%3Ealert(1)",
      ] {
        try await client.execute(uri: uri, method: .get) { r in
          #expect(r.status == .notFound, "\(uri)")
          #expect(!r.text.contains("<script"), "\(uri)")
          #expect(!r.text.contains("alert(1)"), "\(uri)")
          expectSecurityHeaders(r)
        }
      }
    }
  }

  @Test func searchMarksTheMatchAndPages() async throws {
    let store = try await SharedStore.instance.get()
    try await withWebClient(store) { client in
      let q = "推理成本".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
      try await client.execute(uri: "/search?q=\(q)", method: .get) { r in
        #expect(r.status == .ok)
        #expect(r.text.contains("<mark>推理成本</mark>"))
        #expect(r.text.contains("云雀-7开源"))
        #expect(r.text.contains("2026-03-09"))
        #expect(r.text.contains("badge s-alive"))
      }
      try await client.execute(uri: "/search?q=%3Cscript%3E", method: .get) { r in
        #expect(r.status == .ok)
        #expect(!r.text.contains("<script>"))
      }
    }
  }

  @Test func reportDownloads() async throws {
    let store = try await SharedStore.instance.get()
    try await withWebClient(store) { client in
      try await client.execute(uri: "/report.json?state=dead", method: .get) { r in
        #expect(r.status == .ok)
        #expect(r.headers[.contentType] == "application/json; charset=utf-8")
        let json = try JSONSerialization.jsonObject(with: Data(r.text.utf8)) as? [String: Any]
        #expect(json?["schema"] as? String == "sourcekeep.report/1")
        #expect((json?["links"] as? [Any])?.count == 1)
      }
      try await client.execute(uri: "/report.csv?digest=2026-03-09", method: .get) { r in
        #expect(r.headers[.contentType] == "text/csv; charset=utf-8")
        #expect(r.text.contains(store.articleURL))
      }
      try await client.execute(uri: "/report.md?digest=2026-03-09.md", method: .get) { r in
        #expect(r.headers[.contentType] == "text/markdown; charset=utf-8")
        #expect(r.text.contains("sources checked"))
      }
      try await client.execute(uri: "/report.json?state=bogus", method: .get) { r in
        #expect(r.status == .badRequest)
      }
    }
  }

  @Test func metricsAndHealth() async throws {
    let store = try await SharedStore.instance.get()
    try await withWebClient(store) { client in
      try await client.execute(uri: "/metrics", method: .get) { r in
        #expect(r.status == .ok)
        #expect(r.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
        // Sample lines: `name{labels} value`.
        var samples: [String: Double] = [:]
        for line in r.text.split(separator: "\n") where !line.hasPrefix("#") {
          let parts = line.split(separator: " ")
          if parts.count == 2 { samples[String(parts[0])] = Double(parts[1]) }
        }
        #expect(samples["sourcekeep_links{state=\"dead\"}"] == 1)
        #expect(samples["sourcekeep_links{state=\"alive\"}"] == 2)
        #expect(samples["sourcekeep_links{state=\"pending\"}"] == 0)
        #expect(samples["sourcekeep_captures_total{record=\"response\"}"] == 3)
        #expect(samples["sourcekeep_captures_total{record=\"revisit\"}"] == 3)
        #expect(samples["sourcekeep_checks_total{status=\"gone\"}"] == 2)
        #expect(samples["sourcekeep_check_failures_total{status=\"gone\",reason=\"\"}"] == 2)
        #expect((samples["sourcekeep_archive_bytes"] ?? 0) > 1000)
        #expect((samples["sourcekeep_last_check_timestamp_seconds"] ?? 0) > 1.7e9)
        #expect((samples["sourcekeep_last_capture_timestamp_seconds"] ?? 0) > 1.7e9)
        // The time of the last ingest and of the last check (journal run.finish).
        let ingested = samples["sourcekeep_last_run_timestamp_seconds{command=\"ingest\"}"] ?? 0
        let checked = samples["sourcekeep_last_run_timestamp_seconds{command=\"check\"}"] ?? 0
        #expect(ingested > 1.7e9 && checked >= ingested)
        #expect((samples["sourcekeep_last_run_duration_seconds{command=\"check\"}"] ?? -1) >= 0)
        #expect((samples["sourcekeep_last_run_duration_seconds{command=\"ingest\"}"] ?? -1) >= 0)
      }
      try await client.execute(uri: "/healthz", method: .get) { r in
        #expect(r.status == .ok)
        #expect(r.text == "ok\n")
        expectSecurityHeaders(r)
      }
    }
  }

  @Test func onlyGetAndHeadAndBoundedTargets() async throws {
    let store = try await SharedStore.instance.get()
    try await withWebClient(store) { client in
      try await client.execute(uri: "/", method: .post, body: ByteBuffer(string: "x")) { r in
        #expect(r.status == .methodNotAllowed || r.status == .contentTooLarge)
        expectSecurityHeaders(r)
      }
      try await client.execute(uri: "/search?q=" + String(repeating: "a", count: 9000), method: .get) { r in
        #expect(r.status == .uriTooLong)
      }
      try await client.execute(uri: "/static/site.css", method: .get) { r in
        #expect(r.headers[.contentType] == "text/css; charset=utf-8")
      }
    }
  }
}
