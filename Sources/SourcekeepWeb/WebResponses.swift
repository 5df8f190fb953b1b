import HTTPTypes
import Hummingbird

/// Building responses: one content type per kind, and error pages that never echo the
/// request back unescaped (they name no input at all; the status says what went wrong).
enum WebResponses {
  static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
    body(text, type: "text/html; charset=utf-8", status: status)
  }

  static func body(_ text: String, type: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:])
    -> Response
  {
    bytes(ByteBuffer(string: text), type: type, status: status, headers: headers)
  }

  static func bytes(_ buffer: ByteBuffer, type: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:])
    -> Response
  {
    var fields = headers
    fields[.contentType] = type
    fields[.contentLength] = String(buffer.readableBytes)
    return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: buffer))
  }

  /// An error page for `status` with a fixed explanation (`message` is ours, never input).
  static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
    let page = PageLayout.page(
      title: "\(status.code) \(status.reasonPhrase)",
      "<h1>\(status.code) \(HTML.escape(status.reasonPhrase))</h1><p>\(HTML.escape(message))</p>"
        + "<p><a href=\"/\">Back to the archive's front page</a></p>")
    return html(page, status: status)
  }

  static func notFound(_ message: String = "Nothing is archived at this address.") -> Response {
    error(.notFound, message)
  }
}

/// Header names HTTPTypes does not predefine.
extension HTTPField.Name {
  static var referrerPolicy: Self { Self("Referrer-Policy")! }
  static var crossOriginOpenerPolicy: Self { Self("Cross-Origin-Opener-Policy")! }
  static var mementoDatetime: Self { Self("Memento-Datetime")! }
  static var acceptDatetime: Self { Self("Accept-Datetime")! }
  static var link: Self { Self("Link")! }
}
