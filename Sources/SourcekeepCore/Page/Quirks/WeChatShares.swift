/// WeChat "share" messages: picture, video and text-only posts (`item_show_type` other than
/// 0), whose `#js_content` is empty or missing because their text and pictures live only in
/// script variables (docs/wechat.md#share-messages).
///
/// Read from the script text without running it: the text from `content_noencode` (picture
/// and video shares) or the `content` of `text_page_info` (text shares), the pictures from the
/// `cdn_url` entries of `picture_page_info_list`.
enum WeChatShares {
  /// The message's text paragraphs and picture addresses.
  struct Content: Equatable {
    var paragraphs: [String]
    var images: [String]
  }

  /// The kind of message: 0 an article, 5 a video, 8 a picture share, 10 a text share, …
  static func itemShowType(in script: String) -> Int? {
    for name in ["real_item_show_type", "item_show_type"] {
      if let v = WeChatQuirks.jsVariable(name, in: script), let n = Int(v) { return n }
    }
    // Unquoted: `item_show_type: 8,`.
    guard let r = script.range(of: "item_show_type") else { return nil }
    var rest = script[r.upperBound...].drop { $0 == " " || $0 == "'" || $0 == "\"" }
    guard rest.first == ":" || rest.first == "=" else { return nil }
    rest = rest.dropFirst().drop { $0 == " " || $0 == "'" || $0 == "\"" }
    return Int(rest.prefix { $0.isASCII && $0.isNumber })
  }

  /// The share's content, or nil when the page is an ordinary article (type 0 or unknown) or
  /// the scripts hold neither text nor pictures.
  static func content(in script: String) -> Content? {
    guard let type = itemShowType(in: script), type != 0 else { return nil }
    var text = jsString(after: "content_noencode", in: script[...])
    if text == nil, let r = script.range(of: "text_page_info") {
      text = jsString(after: "content", in: script[r.upperBound...])
    }
    let paragraphs = text.map { MainText.structuredParagraphs(decodeEntities($0)) } ?? []
    var images: [String] = []
    if let r = script.range(of: "picture_page_info_list") {
      // The list ends at the first `]` that closes it; its items' `cdn_url` are the pictures
      // (a watermark's own entry sits in a nested `watermark_info` and is skipped).
      var rest = script[r.upperBound...]
      while let u = rest.range(of: "cdn_url") {
        let before = rest[rest.startIndex..<u.lowerBound]
        if before.contains("];") { break }
        defer { rest = rest[u.upperBound...] }
        // The object that holds this `cdn_url`, and the key it is the value of.
        if let brace = before.lastIndex(of: "{") {
          let key = before[..<brace].suffix(24)
          if key.contains("watermark") || key.contains("share_cover") { continue }
        }
        if let url = jsString(after: "", in: rest[u.upperBound...]), url.hasPrefix("http"), !images.contains(url) {
          images.append(url)
        }
      }
    }
    guard !paragraphs.isEmpty || !images.isEmpty else { return nil }
    return Content(paragraphs: paragraphs, images: images)
  }

  /// The value of the JS string that follows `name` and `:` or `=` (quoted with `'` or `"`),
  /// with its escapes decoded (`\xNN`, `\uNNNN`, `\n`, `\'`, …); nil when none follows.
  static func jsString(after name: String, in script: Substring) -> String? {
    var search = script
    while true {
      var rest: Substring
      if name.isEmpty {
        rest = search
      } else {
        guard let r = search.range(of: name) else { return nil }
        rest = search[r.upperBound...]
        search = rest
      }
      rest = rest.drop { $0 == " " || $0 == "\t" || $0 == "'" || $0 == "\"" }
      guard rest.first == ":" || rest.first == "=" else {
        if name.isEmpty { return nil }
        continue
      }
      rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" || $0 == "\n" }
      guard let quote = rest.first, quote == "'" || quote == "\"" else {
        if name.isEmpty { return nil }
        continue
      }
      return unescape(rest.dropFirst(), until: quote)
    }
  }

  /// A JS string body up to its closing `quote`, escapes decoded.
  static func unescape(_ body: Substring, until quote: Character) -> String {
    var out = String.UnicodeScalarView()
    var scalars = body.unicodeScalars.makeIterator()
    func hex(_ count: Int) -> Unicode.Scalar? {
      var value: UInt32 = 0
      for _ in 0..<count {
        guard let s = scalars.next(), let d = hexDigit(s) else { return nil }
        value = value * 16 + d
      }
      return Unicode.Scalar(value)
    }
    while let s = scalars.next() {
      if s == quote.unicodeScalars.first! { break }
      guard s == "\\" else {
        out.append(s)
        continue
      }
      guard let e = scalars.next() else { break }
      switch e {
      case "n": out.append("\n")
      case "r": continue
      case "t": out.append(" ")
      case "x": if let v = hex(2) { out.append(v) }
      case "u": if let v = hex(4) { out.append(v) }
      default: out.append(e)
      }
    }
    return String(out)
  }

  private static func hexDigit(_ s: Unicode.Scalar) -> UInt32? {
    switch s {
    case "0"..."9": return s.value - 0x30
    case "a"..."f": return s.value - 0x61 + 10
    case "A"..."F": return s.value - 0x41 + 10
    default: return nil
    }
  }
}
