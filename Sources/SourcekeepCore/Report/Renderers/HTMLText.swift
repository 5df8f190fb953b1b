import SKSystem

/// The one HTML escaper of sourcekeep: the HTML report, the Markdown report's inline HTML, the
/// readable renditions and the web view all put untrusted text (titles, publishers, URLs,
/// snippets) into HTML through it (docs/design.md#web-view, "Security").
///
/// The rules are the same for element content and quoted attribute values:
/// - `& < > " '` become references;
/// - bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) and
///   the marks U+200E/U+200F are shown as their code points (`[U+202E]`): a title holding
///   U+202E must not reverse the rest of the line it sits in, or a URL next to it;
/// - C0 controls other than tab, newline and carriage return, and DEL, become U+FFFD (they are
///   invalid in HTML and some parsers drop or act on them).
///
/// It walks Unicode scalars, not Characters: `"` followed by a combining mark is one Character
/// that is not equal to `"`, yet an HTML parser still sees the quote and ends the attribute.
public enum HTMLText {
  public static func escape(_ s: some StringProtocol) -> String {
    // Works on the UTF-8 bytes (the readable copy escapes every article's whole text; appending
    // scalar by scalar was 5 % of a capture's CPU). Every byte this changes is ASCII or starts
    // one of the three-byte bidi controls, so a scalar is never split.
    // What comes out is UTF-8 as what went in: whole scalars are replaced by ASCII.
    let escaped: [UInt8]?? = s.utf8.withContiguousStorageIfAvailable { escapedBytes($0.span) }
    switch escaped {
    case .some(.some(let bytes)): return UnalignedBytes.string(validUTF8: bytes)
    case .some(.none): return String(s)
    case .none:
      let copy = Array(s.utf8)
      return escapedBytes(copy.span).map { UnalignedBytes.string(validUTF8: $0) } ?? String(s)
    }
  }

  /// The bytes `escapedBytes` looks at twice: the five specials, the controls it replaces, and
  /// 0xE2 (which starts the bidi controls). Everything else is copied without a second look.
  private static let mayChange: [Bool] = (0...255).map { b in
    switch b {
    case 0x26, 0x3C, 0x3E, 0x22, 0x27, 0x00...0x08, 0x0B, 0x0C, 0x0E...0x1F, 0x7F, 0xE2: true
    default: false
    }
  }

  /// The escaped bytes of valid UTF-8 `input`, or nil when nothing in it needs escaping.
  private static func escapedBytes(_ input: Span<UInt8>) -> [UInt8]? {
    var out: [UInt8] = []
    var copied = 0  // input[..<copied] is already in `out`
    var i = 0
    let mayChange = Self.mayChange.span
    while i < input.count {
      let b = input[i]
      // (A table look-up per byte: the switch below for every byte of an article's text was
      // most of the readable copy's escaping.)
      if !mayChange[Int(b)] {
        i += 1
        continue
      }
      var replacement: String? = nil
      var width = 1
      switch b {
      case UInt8(ascii: "&"): replacement = "&amp;"
      case UInt8(ascii: "<"): replacement = "&lt;"
      case UInt8(ascii: ">"): replacement = "&gt;"
      case UInt8(ascii: "\""): replacement = "&quot;"
      case UInt8(ascii: "'"): replacement = "&#39;"
      case 0x00...0x08, 0x0B, 0x0C, 0x0E...0x1F, 0x7F: replacement = "\u{FFFD}"
      case 0xE2 where i + 2 < input.count:
        // U+200E/U+200F = E2 80 8E/8F, U+202A–U+202E = E2 80 AA–AE, U+2066–U+2069 = E2 81 A6–A9.
        let b1 = input[i + 1]
        let b2 = input[i + 2]
        let value = 0x2000 + (UInt32(b1 & 0x3F) << 6) + UInt32(b2 & 0x3F)
        if b1 == 0x80 || b1 == 0x81, let scalar = Unicode.Scalar(value), isBidiControl(scalar) {
          replacement = codePoint(scalar)
          width = 3
        }
      default: break
      }
      if let replacement {
        if out.isEmpty { out.reserveCapacity(input.count + 64) }
        for k in copied..<i { out.append(input[k]) }
        out.append(contentsOf: replacement.utf8)
        i += width
        copied = i
      } else {
        i += 1
      }
    }
    if copied == 0 { return nil }
    for k in copied..<input.count { out.append(input[k]) }
    return out
  }

  /// A character that changes the direction of the text around it: the embeddings and
  /// overrides U+202A–U+202E, the isolates U+2066–U+2069, and the marks U+200E/U+200F.
  public static func isBidiControl(_ s: Unicode.Scalar) -> Bool {
    (0x202A...0x202E).contains(s.value) || (0x2066...0x2069).contains(s.value) || s.value == 0x200E
      || s.value == 0x200F
  }

  /// `[U+202E]`: how a bidi control is shown.
  public static func codePoint(_ s: Unicode.Scalar) -> String {
    "[U+" + String(s.value, radix: 16, uppercase: true) + "]"
  }

  /// Already-built HTML with every bidi control shown as its code point (for markup read back
  /// from the archive, such as a readable rendition written before the escaper did this).
  /// Markup is unchanged otherwise: a code point text holds no `<`, `&` or quote.
  public static func neutralizeBidi(_ html: String) -> String {
    guard html.unicodeScalars.contains(where: isBidiControl) else { return html }
    var out = String.UnicodeScalarView()
    for scalar in html.unicodeScalars {
      if isBidiControl(scalar) {
        out.append(contentsOf: codePoint(scalar).unicodeScalars)
      } else {
        out.append(scalar)
      }
    }
    return String(out)
  }
}
