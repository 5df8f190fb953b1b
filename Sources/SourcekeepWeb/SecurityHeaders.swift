import HTTPTypes
import Hummingbird
import Logging

/// Headers and limits every response gets (docs/design.md#web-view, "Security"), applied outside
/// every route so that errors — the router's 404 included — get them too.
///
/// - Pages: a Content-Security-Policy that allows no script at all, styles and images from
///   this origin only, no framing (`frame-ancestors 'none'`), forms only to this origin.
/// - Archived bytes (`id_`, `im_`) set their own stricter policy (`sandbox`, `archivedPolicy`)
///   before they reach here; that one is kept.
/// - Always `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`.
/// - Only GET and HEAD; request targets up to 8 KiB; no request body.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
  static var pagePolicy: String {
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; "
      + "frame-ancestors 'none'"
  }

  /// For archived bytes: a sandboxed document (no script, an opaque origin, so nothing it
  /// holds can reach the web view's pages or cookies), loading nothing from outside this origin.
  static var archivedPolicy: String {
    "sandbox; default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; media-src 'self'; "
      + "frame-ancestors 'self'"
  }

  static var maxTarget: Int { 8192 }

  let logger: Logger

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    var response: Response
    if request.method != .get && request.method != .head {
      response = WebResponses.error(.methodNotAllowed, "This archive is read-only: only GET and HEAD are served.")
      response.headers[.allow] = "GET, HEAD"
    } else if (request.head.path ?? "").utf8.count > Self.maxTarget {
      response = WebResponses.error(.uriTooLong, "The address is longer than this archive accepts (8 KiB).")
    } else if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > 0 {
      response = WebResponses.error(.contentTooLarge, "A request to this archive carries no body.")
    } else if request.headers[.transferEncoding] != nil {
      response = WebResponses.error(.contentTooLarge, "A request to this archive carries no body.")
    } else {
      do {
        response = try await next(request, context)
      } catch let error as HTTPError {
        response =
          error.status == .notFound ? WebResponses.notFound() : WebResponses.error(error.status, "The request failed.")
        for field in error.headers where field.name != .contentType && field.name != .contentLength {
          response.headers.append(field)
        }
      } catch {
        logger.error("web request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
        response = WebResponses.error(.internalServerError, "The archive could not answer; the error is in its log.")
      }
    }
    if response.headers[.contentSecurityPolicy] == nil {
      response.headers[.contentSecurityPolicy] = Self.pagePolicy
    }
    response.headers[.xContentTypeOptions] = "nosniff"
    response.headers[.referrerPolicy] = "no-referrer"
    response.headers[.crossOriginOpenerPolicy] = "same-origin"
    if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-cache" }
    return response
  }
}
