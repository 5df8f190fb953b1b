import SourcekeepCore

/// Escaping for the web view's pages (docs/design.md#web-view, "Security"): every value goes
/// through one of these on its way into HTML, chosen by where it lands.
enum HTML {
  /// Text for element content and quoted attribute values: the shared escaper (`HTMLText`,
  /// also the reports'), which shows bidi controls as their code points.
  static func escape(_ s: some StringProtocol) -> String { HTMLText.escape(s) }

  /// Whether `url` may become an `href`: `http://` or `https://` (any case), no control
  /// characters, no whitespace or bidi control that a browser would strip or reorder.
  static func isWeb(_ url: String) -> Bool {
    let lower = url.prefix(8).lowercased()
    guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else { return false }
    return !url.unicodeScalars.contains { s in
      s.value <= 0x20 || (0x7F...0x9F).contains(s.value) || HTMLText.isBidiControl(s)
    }
  }

  /// `<a href="url">text</a>` when `url` is http(s), else the text alone (a `javascript:` or
  /// `data:` citation stays visible but cannot be clicked).
  static func link(_ url: String, text: String? = nil) -> String {
    let label = escape(text ?? url)
    guard isWeb(url) else { return "<span class=\"url\">\(label)</span>" }
    return "<a class=\"url\" href=\"\(escape(url))\">\(label)</a>"
  }

  /// A link to a page of this web view (`path` built by `WebPath`, already percent-encoded).
  static func local(_ path: String, _ html: String) -> String {
    "<a href=\"\(escape(path))\">\(html)</a>"
  }
}

/// Percent-encoding for the web view's own addresses.
enum WebPath {
  /// Bytes that may stay as they are in a path segment or query value (RFC 3986 unreserved).
  private static func unreserved(_ b: UInt8) -> Bool {
    (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E
      || b == 0x5F || b == 0x7E
  }

  /// A query value or path segment: everything but unreserved bytes encoded.
  static func component(_ s: String) -> String {
    encode(s) { unreserved($0) }
  }

  /// An archived URL placed after `/web/<ts>/`: its own `/ : ? & = # %`… kept readable
  /// (Wayback style), but spaces, quotes, angle brackets, controls and non-ASCII encoded, so
  /// the result is a valid request target and safe inside a header or an attribute.
  static func embedded(_ url: String) -> String {
    encode(url) { b in
      unreserved(b) || "/:?&=;,+!$*@%[]()".utf8.contains(b)
    }
  }

  private static func encode(_ s: String, keep: (UInt8) -> Bool) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for b in s.utf8 {
      if keep(b) {
        out.unicodeScalars.append(Unicode.Scalar(b))
      } else {
        out += "%" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)
      }
    }
    return out
  }

  /// Undoes percent-encoding (`+` stays `+`); nil when the result is not UTF-8.
  static func decode(_ s: Substring) -> String? {
    guard s.contains("%") else { return String(s) }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(s.utf8.count)
    var i = s.utf8.startIndex
    let utf8 = s.utf8
    while i < utf8.endIndex {
      let b = utf8[i]
      if b == UInt8(ascii: "%"), let h1 = utf8.index(i, offsetBy: 1, limitedBy: utf8.endIndex),
        let h2 = utf8.index(i, offsetBy: 2, limitedBy: utf8.endIndex), h2 < utf8.endIndex,
        let hi = hex(utf8[h1]), let lo = hex(utf8[h2])
      {
        bytes.append(hi << 4 | lo)
        i = utf8.index(after: h2)
      } else {
        bytes.append(b)
        i = utf8.index(after: i)
      }
    }
    return String(validating: bytes, as: UTF8.self)
  }

  private static func hex(_ b: UInt8) -> UInt8? {
    switch b {
    case 0x30...0x39: b - 0x30
    case 0x41...0x46: b - 0x41 + 10
    case 0x61...0x66: b - 0x61 + 10
    default: nil
    }
  }

  /// `/web/<ts>/<url>` (`modifier` `id_` or `im_` for the raw forms).
  static func memento(_ timestamp: String, _ url: String, modifier: String = "") -> String {
    "/web/\(timestamp)\(modifier)/\(embedded(url))"
  }

  static func link(id: Int64) -> String { "/links/\(id)" }
  static func link(url: String) -> String { "/links?url=\(component(url))" }
  static func digest(_ name: String) -> String { "/digests/\(component(name))" }
}
