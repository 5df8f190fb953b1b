import Foundation
import SKLibXML2
import SKSystem

/// Decides a page's charset and decodes its bytes to UTF-8.
///
/// Mojibake is a bug: a GBK page must yield the right Chinese title. Precedence: the HTTP
/// `Content-Type` charset, then a byte-order mark, then `<meta charset>` / `http-equiv` in
/// the first 4 KiB, then UTF-8 if the bytes are valid UTF-8, else a guess (GB18030 if the
/// bytes decode cleanly in it, else windows-1252). GB2312 and GBK labels decode as GB18030,
/// their superset; the label that decided is what gets reported.
public enum Charset {
  /// Where the charset decision came from.
  public enum Source: String, Sendable {
    /// The HTTP `Content-Type` header.
    case header
    /// A byte-order mark.
    case bom
    /// `<meta charset>` or `<meta http-equiv="Content-Type">`.
    case meta
    /// No declaration; the bytes were valid UTF-8 or a guess was made.
    case sniffed
  }

  /// The decision: the reported name (lower case, e.g. `utf-8`, `gbk`) and its source.
  public struct Decision: Sendable, Equatable {
    /// Lower-case charset label, as declared (aliases like `utf8` normalised).
    public var name: String
    /// Where it came from.
    public var source: Source

    /// A decision with its source.
    public init(name: String, source: Source) {
      self.name = name
      self.source = source
    }
  }

  /// Picks the charset for `bytes` following the precedence above.
  public static func decide(bytes: [UInt8], contentType: String?) -> Decision {
    if let ct = contentType, let label = parameter("charset", in: ct), let name = normalise(label) {
      return Decision(name: name, source: .header)
    }
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return Decision(name: "utf-8", source: .bom) }
    if bytes.starts(with: [0xFF, 0xFE]) { return Decision(name: "utf-16le", source: .bom) }
    if bytes.starts(with: [0xFE, 0xFF]) { return Decision(name: "utf-16be", source: .bom) }
    if let label = metaCharset(in: bytes.prefix(4096)), var name = normalise(label) {
      // A meta tag read as ASCII cannot truthfully declare UTF-16 (WHATWG).
      if name.hasPrefix("utf-16") { name = "utf-8" }
      return Decision(name: name, source: .meta)
    }
    if isValidUTF8(bytes) { return Decision(name: "utf-8", source: .sniffed) }
    if Transcoder.utf8(from: Array(bytes.prefix(65536)), charset: "GB18030", strict: true) != nil {
      return Decision(name: "gb18030", source: .sniffed)
    }
    return Decision(name: "windows-1252", source: .sniffed)
  }

  /// Decodes `bytes` in the decided charset to UTF-8, repairing invalid sequences with U+FFFD
  /// and dropping NUL bytes (libxml2 would end a text node at one). The result is always
  /// well-formed UTF-8: `PageExtractor` promises the parser so (`HTMLPage.parse(validUTF8:)`).
  public static func decode(bytes: [UInt8], as decision: Decision) -> [UInt8] {
    var body = bytes
    if decision.source == .bom || decision.name == "utf-8" {
      if body.starts(with: [0xEF, 0xBB, 0xBF]) { body.removeFirst(3) }
    }
    var out: [UInt8]
    if decision.name == "utf-8" {
      // A sniffed utf-8 decision was made by validating already.
      let valid = decision.source == .sniffed || isValidUTF8(body)
      out = valid ? body : Array(String(decoding: body, as: UTF8.self).utf8)
    } else if let converted = Transcoder.utf8(from: body, charset: iconvName(decision.name)) {
      // iconv writes UTF-8; checked all the same, since the promise above rests on it.
      out = isValidUTF8(converted) ? converted : Array(String(decoding: converted, as: UTF8.self).utf8)
      if out.starts(with: [0xEF, 0xBB, 0xBF]) { out.removeFirst(3) }
    } else {
      out = Array(String(decoding: body, as: UTF8.self).utf8)
    }
    if containsNUL(out) { out.removeAll { $0 == 0 } }
    return out
  }

  /// Whether `bytes` hold a zero byte (eight bytes at a time, `UnalignedBytes.contains`): every
  /// page passes through here once (docs/performance.md#extraction-make-bench-extract).
  static func containsNUL(_ bytes: [UInt8]) -> Bool {
    UnalignedBytes.contains(0, in: bytes)
  }

  /// The iconv name to decode a reported label with.
  static func iconvName(_ name: String) -> String {
    switch name {
    case "gbk", "gb2312", "gb18030", "x-gbk", "cp936", "gb_2312-80", "euc-cn", "csgb2312": return "GB18030"
    case "iso-8859-1", "latin1", "us-ascii", "ascii", "windows-1252", "cp1252": return "CP1252"
    case "shift_jis", "sjis", "x-sjis", "windows-31j": return "CP932"
    case "big5", "big5-hkscs": return "BIG5-HKSCS"
    default: return name.uppercased()
    }
  }

  /// Normalises a declared label: lower case, quotes dropped, common aliases mapped; nil
  /// when the label is empty or not a charset iconv knows.
  public static func normalise(_ label: String) -> String? {
    var l = label.lowercased().trimming(" \t\"'")
    if l.isEmpty { return nil }
    switch l {
    case "utf8", "unicode-1-1-utf-8", "x-unicode20utf8": l = "utf-8"
    case "x-gbk": l = "gbk"
    default: break
    }
    if l == "utf-8" { return l }
    return Transcoder.supports(iconvName(l)) ? l : nil
  }

  /// A `name=value` parameter of a header value such as `text/html; charset=gbk`.
  static func parameter(_ name: String, in header: String) -> String? {
    for part in header.split(separator: ";").dropFirst() {
      let kv = part.split(separator: "=", maxSplits: 1)
      if kv.count == 2, kv[0].trimming(" \t").lowercased() == name {
        return String(kv[1]).trimming(" \t\"'")
      }
    }
    return nil
  }

  /// Finds `charset=` inside a `<meta ...>` tag in the first bytes (ASCII-only scan, ignoring
  /// ASCII case; the value comes back lower-cased). Works on the bytes: it runs on every page.
  static func metaCharset(in head: ArraySlice<UInt8>) -> String? {
    let text = head.map { b -> UInt8 in
      if b >= 0x80 { return 0x20 }
      return b >= 0x41 && b <= 0x5A ? b | 0x20 : b
    }
    let n = text.count
    func occurs(_ needle: StaticString, at i: Int) -> Bool {
      let count = needle.utf8CodeUnitCount
      guard i + count <= n else { return false }
      let p = needle.utf8Start
      for k in 0..<count where text[i + k] != p[k] { return false }
      return true
    }
    var i = 0
    while i < n {
      guard text[i] == 0x3C, occurs("<meta", at: i) else {
        i += 1
        continue
      }
      var tagEnd = i + 5
      while tagEnd < n && text[tagEnd] != 0x3E { tagEnd += 1 }
      var c = i + 5
      while c < tagEnd && !occurs("charset", at: c) { c += 1 }
      // ("charset" must lie wholly inside the tag.)
      if c < tagEnd && c + 7 <= tagEnd {
        var r = c + 7
        while r < tagEnd && text[r] == 0x20 { r += 1 }
        if r < tagEnd && text[r] == 0x3D {
          r += 1
          while r < tagEnd && (text[r] == 0x20 || text[r] == 0x22 || text[r] == 0x27) { r += 1 }
          var e = r
          // Up to a space, quote, semicolon, slash or `>`.
          while e < tagEnd && ![0x20, 0x22, 0x27, 0x3B, 0x2F, 0x3E].contains(text[e]) { e += 1 }
          if e > r { return String(decoding: text[r..<e], as: UTF8.self) }
        }
      }
      i = tagEnd
    }
    return nil
  }

  /// Whether `bytes` are well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
  static func isValidUTF8(_ bytes: [UInt8]) -> Bool { UnalignedBytes.isValidUTF8(bytes) }
}

extension StringProtocol {
  /// Trims any of the given characters from both ends.
  func trimming(_ set: String) -> String {
    var s = Substring(self)
    while let f = s.first, set.contains(f) { s = s.dropFirst() }
    while let l = s.last, set.contains(l) { s = s.dropLast() }
    return String(s)
  }
}
