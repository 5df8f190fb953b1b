import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SKSystem
import SourcekeepCore
import Testing

@testable import SourcekeepWeb

/// `[web] auth = "basic"` with a bcrypt htpasswd (real libxcrypt), and the refusals of
/// settings that must not be served.
@Suite("Web auth and settings", .serialized)
struct WebAuthTests {
  static func htpasswd(user: String, password: String) throws -> Htpasswd {
    let hash = try #require(PasswordHash.hash(password, setting: "$2b$04$abcdefghijklmnopqrstuu"))
    return try Htpasswd(text: "# editors\n\(user):\(hash)\n", file: "/test/htpasswd")
  }

  static func basic(_ user: String, _ password: String) -> HTTPFields {
    [.authorization: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()]
  }

  @Test func bcryptMatchesPythonsCrypt() throws {
    // The same vector `crypt.crypt('not-a-known-password-x', '$2b$10$abcdefghijklmnopqrstuu')` gives.
    #expect(
      PasswordHash.hash("not-a-known-password-x", setting: Htpasswd.decoy) == Htpasswd.decoy)
    #expect(PasswordHash.hash("x", setting: "$9$nonsense") == nil)
    #expect(ConstantTime.equal(Array("abc".utf8), Array("abc".utf8)))
    #expect(!ConstantTime.equal(Array("abc".utf8), Array("abd".utf8)))
    #expect(!ConstantTime.equal(Array("abc".utf8), Array("abcd".utf8)))
  }

  @Test func basicAuthGuardsEveryPageButHealth() async throws {
    let store = try await SharedStore.instance.get()
    let settings = WebSettings(listen: "127.0.0.1:0", auth: .basic, htpasswd: "/test/htpasswd")
    let file = try Self.htpasswd(user: "editor", password: "correct horse")
    try await withWebClient(store, settings: settings, htpasswd: file) { client in
      try await client.execute(uri: "/", method: .get) { r in
        #expect(r.status == .unauthorized)
        #expect(r.headers[.wwwAuthenticate]?.hasPrefix("Basic realm=\"sourcekeep\"") == true)
        expectSecurityHeaders(r)
      }
      try await client.execute(uri: "/", method: .get, headers: Self.basic("editor", "correct horse")) { r in
        #expect(r.status == .ok)
      }
      try await client.execute(uri: "/metrics", method: .get, headers: Self.basic("editor", "wrong")) { r in
        #expect(r.status == .unauthorized)
      }
      try await client.execute(uri: "/healthz", method: .get) { r in #expect(r.status == .ok) }
      // Nine more failures reach the limit: then 429 with Retry-After, even with the right password.
      for _ in 0..<9 {
        try await client.execute(uri: "/", method: .get, headers: Self.basic("nobody", "guess")) { r in
          #expect(r.status == .unauthorized)
        }
      }
      try await client.execute(uri: "/", method: .get, headers: Self.basic("editor", "correct horse")) { r in
        #expect(r.status == .tooManyRequests)
        #expect(Int(r.headers[.retryAfter] ?? "") ?? 0 > 0)
      }
    }
  }

  @Test func refusals() throws {
    #expect(throws: WebSettings.Problem.self) { try WebSettings(listen: "0.0.0.0:8470").validate() }
    #expect(throws: WebSettings.Problem.self) { try WebSettings(listen: "[::]:8470").validate() }
    #expect(throws: WebSettings.Problem.self) { try WebSettings(listen: "192.0.2.1:80").validate() }
    #expect(throws: Never.self) { try WebSettings(listen: "0.0.0.0:8470", isPublic: true).validate() }
    #expect(throws: Never.self) { try WebSettings(listen: "127.0.0.1:8470").validate() }
    #expect(throws: Never.self) { try WebSettings(listen: "[::1]:8470").validate() }
    #expect(throws: Never.self) { try WebSettings(listen: "").validate() }
    #expect(throws: WebSettings.Problem.self) { try WebSettings(listen: "127.0.0.1").validate() }
    #expect(throws: WebSettings.Problem.self) { try WebSettings(listen: "127.0.0.1:99999").validate() }
    #expect(throws: WebSettings.Problem.self) {
      try WebSettings(listen: "0.0.0.0:8470", auth: .basic, htpasswd: "relative/file").validate()
    }
    #expect(throws: WebSettings.Problem.self) {
      try WebSettings(listen: "127.0.0.1:8470", publicURL: "javascript:alert(1)").validate()
    }
    #expect(throws: Htpasswd.Problem.self) { try Htpasswd(text: "editor:{SHA}abc\n", file: "/x") }
    #expect(throws: Htpasswd.Problem.self) { try Htpasswd(text: "# nothing\n", file: "/x") }
  }
}
