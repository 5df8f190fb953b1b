import Testing

@testable import SourcekeepCore

/// Charset precedence (header, BOM, meta, UTF-8, guess) and GB18030 decoding.
struct CharsetTests {
  // "中文标题" in GBK.
  static let gbkTitle: [UInt8] = [0xD6, 0xD0, 0xCE, 0xC4, 0xB1, 0xEA, 0xCC, 0xE2]

  static func page(meta: String?, title: [UInt8]) -> [UInt8] {
    var b = Array("<html><head>".utf8)
    if let meta { b += Array("<meta charset=\"\(meta)\">".utf8) }
    b += Array("<title>".utf8) + title + Array("</title></head><body><p>x</p></body></html>".utf8)
    return b
  }

  @Test func headerCharsetWinsOverMeta() {
    let d = Charset.decide(bytes: Self.page(meta: "utf-8", title: Self.gbkTitle), contentType: "text/html; charset=GBK")
    #expect(d == Charset.Decision(name: "gbk", source: .header))
  }

  @Test func bomWinsOverMetaWhenTheHeaderHasNoCharset() {
    let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Self.page(meta: "gbk", title: Array("中文".utf8))
    #expect(Charset.decide(bytes: bytes, contentType: "text/html") == Charset.Decision(name: "utf-8", source: .bom))
  }

  @Test func metaCharsetAndHttpEquivAreRead() {
    #expect(Charset.decide(bytes: Self.page(meta: "gb2312", title: Self.gbkTitle), contentType: nil).name == "gb2312")
    let equiv =
      Array("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\"><title>".utf8) + Self.gbkTitle
    #expect(Charset.decide(bytes: equiv, contentType: nil) == Charset.Decision(name: "gbk", source: .meta))
  }

  /// The `<meta>` scan reads bytes, ignoring ASCII case, and takes the first `charset=` value
  /// inside a `<meta>` tag: after spaces and quotes, up to a space, quote, `;`, `/` or `>`.
  @Test func metaCharsetScanRules() {
    func scan(_ s: String) -> String? { Charset.metaCharset(in: Array(s.utf8)[...]) }
    #expect(scan("<META CHARSET=\"Shift_JIS\">") == "shift_jis")
    #expect(scan("<meta charset = 'koi8-r'/>") == "koi8-r")
    #expect(scan("<meta http-equiv=content-type content=\"text/html;charset=EUC-KR;x\">") == "euc-kr")
    #expect(scan("<meta name=x><meta charset=big5>") == "big5")
    // `charset` without `=` in one tag does not stop the scan; outside a tag it is not read.
    #expect(scan("<meta name=charset content=x><meta charset=gbk>") == "gbk")
    #expect(scan("<p>charset=gbk</p><meta name=x>") == nil)
    #expect(scan("<meta charset=>") == nil)
    #expect(scan("<meta charset=\"utf-8") == "utf-8")
    // Bytes past ASCII read as spaces: they end a value.
    #expect(scan("<meta charset=big5\u{e9}x>") == "big5")
  }

  @Test func undeclaredValidUTF8IsUTF8AndUndeclaredGBKIsGuessedAsGB18030() {
    #expect(Charset.decide(bytes: Self.page(meta: nil, title: Array("中文".utf8)), contentType: nil).name == "utf-8")
    #expect(Charset.decide(bytes: Self.page(meta: nil, title: Self.gbkTitle), contentType: nil).name == "gb18030")
  }

  @Test func gb2312AndGBKLabelsDecodeAsGB18030() throws {
    // 𠀀 (U+20000) exists only in GB18030; a GBK label must still decode it.
    let gb18030Only: [UInt8] = [0x95, 0x32, 0x82, 0x36]
    for label in ["gbk", "gb2312", "GB18030"] {
      let f = try PageExtractor().extract(body: Self.page(meta: label, title: Self.gbkTitle + gb18030Only), url: nil)
      #expect(f.title == "中文标题\u{20000}")
    }
  }

  @Test func invalidUTF8IsRepairedNotMojibake() throws {
    let bytes = Array("<meta charset=utf-8><title>中文".utf8) + [0xFF, 0xFE, 0x80] + Array("标题</title>".utf8)
    let f = try PageExtractor().extract(body: bytes, url: nil)
    #expect(f.title == "中文\u{FFFD}\u{FFFD}\u{FFFD}标题")
    #expect(f.charset == "utf-8")
  }

  /// The word-at-a-time NUL check must see a zero byte wherever it sits: in any lane of a word,
  /// in the tail after the last whole word, beside bytes that borrow (0x01, 0x80, 0xFF).
  @Test func nulBytesAreFoundAtEveryPosition() {
    for length in 0..<20 {
      for filler: UInt8 in [0x01, 0x41, 0x80, 0xFF] {
        let clean = [UInt8](repeating: filler, count: length)
        #expect(!Charset.containsNUL(clean))
        for position in 0..<length {
          var bytes = clean
          bytes[position] = 0
          #expect(Charset.containsNUL(bytes), "length \(length), NUL at \(position), filler \(filler)")
        }
      }
    }
  }

  @Test func nulBytesAreDroppedFromTheText() throws {
    let bytes = Array("<meta charset=utf-8><title>ab".utf8) + [0] + Array("cd</title>".utf8)
    #expect(try PageExtractor().extract(body: bytes, url: nil).title == "abcd")
  }

  /// `decode`'s promise, which `PageExtractor` passes on to the parser (`validUTF8: true`):
  /// whatever the bytes and the charset, the result is well-formed UTF-8 without NUL.
  @Test func decodeAlwaysGivesUTF8WithoutNUL() {
    var rng = SystemRandomNumberGenerator()
    let labels = ["utf-8", "gbk", "gb18030", "windows-1252", "shift_jis", "big5", "utf-16le", "utf-16be", "koi8-r"]
    let pieces: [[UInt8]] = [
      Array("<p>text ".utf8), Array("中文".utf8), Self.gbkTitle, [0], [0xFF, 0xFE], [0xEF, 0xBB, 0xBF],
      [0xED, 0xA0, 0x80], [0xD8, 0x00], [0x00, 0xDC], [0x80], [0xC3], [0xE4, 0xB8],
    ]
    for round in 0..<300 {
      let bytes = (0..<Int.random(in: 0..<24, using: &rng)).flatMap { _ in pieces.randomElement(using: &rng)! }
      // Declared charsets, and what `decide` makes of the bytes when nothing is declared (a
      // sniffed UTF-8 decision is only ever made by validating).
      var decisions = labels.flatMap { label in
        [Charset.Source.header, .meta, .bom].map { Charset.Decision(name: label, source: $0) }
      }
      decisions.append(Charset.decide(bytes: bytes, contentType: nil))
      for decision in decisions {
        let out = Charset.decode(bytes: bytes, as: decision)
        #expect(String(validating: out, as: UTF8.self) != nil, "round \(round) \(decision): \(bytes)")
        #expect(!out.contains(0), "round \(round) \(decision): \(bytes)")
      }
    }
  }
}
