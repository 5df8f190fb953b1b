import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SourcekeepCore
import Testing

@testable import SourcekeepWeb

/// RFC 7089 against the real store: mementos, the TimeGate, the TimeMap, and the raw forms.
@Suite("Memento routes", .serialized)
struct MementoRouteTests {
  static func httpDate(_ date: Date) -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "GMT")
    f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
    return f.string(from: date)
  }

  static func digits(_ m: Memento) -> String { String(m.capturedAt.filter(\.isNumber).prefix(14)) }

  /// `(target, [param: value])` for each link of a link-format text (RFC 6690), in order.
  static func parseLinks(_ text: String) -> [(String, [String: String])] {
    var out: [(String, [String: String])] = []
    var rest = Substring(text)
    while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
      let target = String(rest[rest.index(after: open)..<close])
      var params: [String: String] = [:]
      var after = rest[rest.index(after: close)...]
      // Parameters up to the next link (a ',' outside quotes).
      var inQuotes = false
      var end = after.endIndex
      for i in after.indices {
        if after[i] == "\"" { inQuotes.toggle() }
        if after[i] == "," && !inQuotes {
          end = i
          break
        }
      }
      for part in after[..<end].split(separator: ";") {
        let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        if kv.count == 2 { params[kv[0]] = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
      }
      out.append((target, params))
      after = end < after.endIndex ? after[after.index(after: end)...] : after[after.endIndex...]
      rest = after
    }
    return out
  }

  @Test func mementoHasDatetimeAndLinks() async throws {
    let store = try await SharedStore.instance.get()
    let catalog = try store.readCatalog()
    let id = try #require(try catalog.linkID(forURL: store.articleURL))
    let mementos = try catalog.mementos(linkID: id)
    try #require(mementos.count == 2, "\(mementos.map(\.capturedAt))")
    try #require(Self.digits(mementos[0]) != Self.digits(mementos[1]), "\(mementos.map(\.capturedAt))")
    let first = mementos[0]
    let last = mementos[1]
    let settings = WebSettings(listen: "127.0.0.1:0", publicURL: "https://archive.test:8470/")
    try await withWebClient(store, settings: settings) { client in
      try await client.execute(uri: "/web/\(Self.digits(first))/\(store.articleURL)", method: .get) { r in
        #expect(r.status == .ok)
        #expect(r.headers[.contentType] == "text/html; charset=utf-8")
        expectSecurityHeaders(r)
        #expect(r.headers[HTTPField.Name("Memento-Datetime")!] == Self.httpDate(first.date))
        let links = Self.parseLinks(r.headers[HTTPField.Name("Link")!] ?? "")
        let rels = Dictionary(links.map { ($0.1["rel"] ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        #expect(rels["original"]?.0 == store.articleURL)
        #expect(rels["timegate"]?.0 == "https://archive.test:8470/web/\(store.articleURL)")
        #expect(rels["timemap"]?.0 == "https://archive.test:8470/web/timemap/link/\(store.articleURL)")
        #expect(rels["timemap"]?.1["type"] == "application/link-format")
        #expect(rels["first memento"]?.0 == "https://archive.test:8470/web/\(Self.digits(first))/\(store.articleURL)")
        #expect(rels["first memento"]?.1["datetime"] == Self.httpDate(first.date))
        #expect(
          rels["next last memento"]?.0 == "https://archive.test:8470/web/\(Self.digits(last))/\(store.articleURL)")
        #expect(rels["next last memento"]?.1["datetime"] == Self.httpDate(last.date))
        #expect(r.text.contains(WebStoreText.chinese))
        #expect(r.text.contains("Archived copy"))
        // The readable rendition (#15) is embedded, its image pointed at the archive.
        #expect(r.text.contains("sk-readable"))
        #expect(r.text.contains("src=\"/web/\(Self.digits(first))im_/\(store.server.url("/img/chart.png"))\""))
      }
      // The last one: prev is the first.
      try await client.execute(uri: "/web/\(Self.digits(last))/\(store.articleURL)", method: .get) { r in
        let rels = Self.parseLinks(r.headers[HTTPField.Name("Link")!] ?? "").map { $0.1["rel"] ?? "" }
        #expect(rels.contains("first prev memento"))
        #expect(rels.contains("last memento"))
        #expect(r.headers[HTTPField.Name("Memento-Datetime")!] == Self.httpDate(last.date))
      }
      // A partial timestamp redirects to the nearest capture's own address (Wayback's rule).
      try await client.execute(uri: "/web/2026/\(store.articleURL)", method: .get) { r in
        #expect(r.status == .found)
        #expect(r.headers[.location]?.hasSuffix("/web/\(Self.digits(first))/\(store.articleURL)") == true)
      }
      try await client.execute(uri: "/web/29991231/\(store.articleURL)", method: .get) { r in
        #expect(r.status == .found)
        #expect(r.headers[.location]?.hasSuffix("/web/\(Self.digits(last))/\(store.articleURL)") == true)
      }
    }
  }

  @Test func timemapInLinkFormat() async throws {
    let store = try await SharedStore.instance.get()
    let catalog = try store.readCatalog()
    let mementos = try catalog.mementos(linkID: try #require(try catalog.linkID(forURL: store.articleURL)))
    try await withWebClient(store) { client in
      // Without public_url, targets are absolute on the request's own host.
      try await client.execute(uri: "/web/timemap/link/\(store.articleURL)", method: .get) { r in
        #expect(r.status == .ok)
        #expect(r.headers[.contentType] == "application/link-format; charset=utf-8")
        expectSecurityHeaders(r)
        let links = Self.parseLinks(r.text)
        #expect(links.count == 3 + mementos.count)
        #expect(links[0].0 == store.articleURL && links[0].1["rel"] == "original")
        #expect(links[1].0 == "http://localhost/web/timemap/link/\(store.articleURL)")
        #expect(links[1].1["rel"] == "self" && links[1].1["type"] == "application/link-format")
        #expect(links[1].1["from"] == Self.httpDate(mementos[0].date))
        #expect(links[1].1["until"] == Self.httpDate(mementos[1].date))
        #expect(links[2].1["rel"] == "timegate")
        #expect(links[3].1["rel"] == "first memento" && links[3].1["datetime"] == Self.httpDate(mementos[0].date))
        #expect(links[4].1["rel"] == "last memento" && links[4].1["datetime"] == Self.httpDate(mementos[1].date))
        // RFC 7089 §5's form: links separated by a comma and a line break.
        #expect(r.text.components(separatedBy: ",\n").count == links.count)
      }
      try await client.execute(uri: "/web/timemap/link/https://unknown.example/", method: .get) { r in
        #expect(r.status == .notFound)
      }
    }
  }

  @Test func timegateChoosesTheNearestCapture() async throws {
    let store = try await SharedStore.instance.get()
    let catalog = try store.readCatalog()
    let mementos = try catalog.mementos(linkID: try #require(try catalog.linkID(forURL: store.articleURL)))
    let (first, last) = (mementos[0], mementos[1])
    let firstSecond = Date(timeIntervalSince1970: first.date.timeIntervalSince1970.rounded(.down))
    let lastSecond = Date(timeIntervalSince1970: last.date.timeIntervalSince1970.rounded(.down))
    try #require(lastSecond > firstSecond)
    let cases: [(String?, Memento)] = [
      (nil, last),
      (Self.httpDate(firstSecond.addingTimeInterval(-86_400)), first),
      (Self.httpDate(firstSecond), first),
      (Self.httpDate(lastSecond), last),
      (Self.httpDate(lastSecond.addingTimeInterval(86_400 * 365)), last),
    ]
    try await withWebClient(store) { client in
      for (accept, expected) in cases {
        var headers = HTTPFields()
        if let accept { headers[HTTPField.Name("Accept-Datetime")!] = accept }
        try await client.execute(uri: "/web/\(store.articleURL)", method: .get, headers: headers) { r in
          #expect(r.status == .found, "\(accept ?? "none")")
          #expect(r.headers[.vary] == "accept-datetime")
          #expect(r.headers[.location]?.hasSuffix("/web/\(Self.digits(expected))/\(store.articleURL)") == true)
          let rels = Self.parseLinks(r.headers[HTTPField.Name("Link")!] ?? "").map { $0.1["rel"] ?? "" }
          #expect(rels.contains("original") && rels.contains("timemap"))
          expectSecurityHeaders(r)
        }
      }
      try await client.execute(
        uri: "/web/\(store.articleURL)", method: .get, headers: [HTTPField.Name("Accept-Datetime")!: "yesterday"]
      ) { r in
        #expect(r.status == .badRequest)
      }
      try await client.execute(uri: "/web/https://unknown.example/", method: .get) { r in
        #expect(r.status == .notFound)
        #expect(r.headers[.vary] == "accept-datetime")
      }
    }
  }

  @Test func originalBytesAreSandboxed() async throws {
    let store = try await SharedStore.instance.get()
    let catalog = try store.readCatalog()
    let mementos = try catalog.mementos(linkID: try #require(try catalog.linkID(forURL: store.hostileURL)))
    try await withWebClient(store) { client in
      // Both the response and the revisit serve the archived body.
      for m in mementos {
        for modifier in ["id_", "im_"] {
          try await client.execute(uri: "/web/\(Self.digits(m))\(modifier)/\(store.hostileURL)", method: .get) { r in
            #expect(r.status == .ok, "\(m.capturedAt) \(r.headers[.location] ?? "")")
            #expect(r.headers[.contentType] == "text/html; charset=utf-8")
            expectSecurityHeaders(r, archived: true)
            #expect(r.headers[HTTPField.Name("Memento-Datetime")!] == Self.httpDate(m.date))
            #expect(r.text.contains("<script>window.archivedScriptRan = true</script>"))
          }
        }
      }
      try await client.execute(uri: "/web/2026id_/https://unknown.example/a.png", method: .get) { r in
        #expect(r.status == .notFound)
      }
    }
  }

  @Test func timestampsAndTargets() {
    let d = { (s: String) in MementoTime.date(fromDigits: s) }
    #expect(d("2026") == d("20260101000000"))
    #expect(d("20260231") == d("20260228000000"))
    #expect(d("202613") == d("20261201000000"))
    #expect(d("20260217080910") == Timestamp.parse("2026-02-17T08:09:10Z"))
    #expect(d("") == nil)
    #expect(d("123456789012345") == nil)
    #expect(d("2026x") == nil)
    #expect(
      WaybackTarget.parse("/web/2026id_/https://a.example/x?y=1")
        == .memento(timestamp: "2026", modifier: .original, url: "https://a.example/x?y=1"))
    #expect(WaybackTarget.parse("/web/https:/a.example/") == .timegate(url: "https://a.example/"))
    #expect(WaybackTarget.parse("/web/timemap/link/http://a.example/") == .timemap(url: "http://a.example/"))
    #expect(WaybackTarget.parse("/web/2026/javascript:alert(1)") == nil)
    #expect(WaybackTarget.parse("/web/2026/file:///etc/passwd") == nil)
    #expect(MementoTime.parseHTTPDate("Tue, 17 Feb 2026 08:00:00 GMT") == Timestamp.parse("2026-02-17T08:00:00Z"))
  }
}

enum WebStoreText {
  static let chinese = WebStore.chineseText
}
