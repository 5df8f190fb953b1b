/// Header values that sourcekeep sends again after reading them from a server (`ETag`,
/// `Last-Modified`): a value with a CR, LF, NUL or any other control character but tab could
/// end the header line early and smuggle in another header, so it is never sent.
public enum HeaderValue {
  /// Whether `value` can go on a request header line as it is.
  public static func isSendable(_ value: String) -> Bool {
    !value.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7f }
  }
}

extension FetchResult {
  /// The final response's validators, to send on the next check: only when that response
  /// came from the requested URL itself (validators belong to the URL that sent them, not to
  /// the first hop of a redirect chain), and only clean values (`HeaderValue.isSendable`).
  public var validators: (etag: String?, lastModified: String?) {
    guard let exchange, exchange.url == request.url, hops.count == 1 else { return (nil, nil) }
    let etag = exchange.header("ETag").flatMap { HeaderValue.isSendable($0) ? $0 : nil }
    let lastModified = exchange.header("Last-Modified").flatMap { HeaderValue.isSendable($0) ? $0 : nil }
    return (etag, lastModified)
  }
}
