import Foundation
import Testing

@testable import SourcekeepCore

/// `collapse` (Page/PageDOM.swift) works on UTF-8 bytes and copies plain runs at once; this
/// holds it to the rule written scalar by scalar: whitespace runs (NBSP and ideographic space
/// included) become one space, trimmed; soft hyphen, zero-width space, word joiner and BOM go;
/// the result is NFC. Compared byte for byte (Swift's `==` would call NFC and NFD equal).
@Suite struct CollapseTests {
  static func reference(_ s: String) -> String {
    var out = String.UnicodeScalarView()
    var pending = false
    for scalar in s.unicodeScalars {
      switch scalar.value {
      case 0x20, 0x09...0x0D, 0xA0, 0x3000: pending = !out.isEmpty
      case 0xAD, 0x200B, 0x2060, 0xFEFF: continue
      default:
        if pending {
          out.append(" ")
          pending = false
        }
        out.append(scalar)
      }
    }
    return String(out).precomposedStringWithCanonicalMapping
  }

  @Test func examples() {
    #expect(Array(collapse("  模型\u{3000}架构 \n\t DeepSeek\u{A0}V4  ").utf8) == Array("模型 架构 DeepSeek V4".utf8))
    let invisible = "Ita\u{AD}li\u{AD}ens wo\u{200B}rd\u{2060}s \u{FEFF}x"
    #expect(Array(collapse(invisible).utf8) == Array("Italiens words x".utf8))
    #expect(Array(collapse("Cafe\u{301} 한국어").utf8) == Array("Caf\u{E9} 한국어".utf8))
    #expect(Array(collapse("می\u{200C}خواهم").utf8) == Array("می\u{200C}خواهم".utf8), "ZWNJ is spelling")
    #expect(collapse(" \u{A0}\u{3000} ").isEmpty)
  }

  @Test func randomTextsFollowTheScalarRule() {
    var rng = SystemRandomNumberGenerator()
    let pieces = [
      "a", "Z", "7", "-", " ", "  ", "\n", "\t", "\r\n", "\u{0B}", "\u{0C}", "\u{7F}", "\u{A0}", "\u{AD}", "\u{3000}",
      "\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}", "模型", "架构", "䶵", "鿿", "一", "，", "。", "「",
      "e\u{301}", "\u{301}", "é", "\u{2000}", "\u{2126}", "Ω", "Ж", "\u{483}", "が", "か\u{3099}", "\u{AC00}",
      "\u{1100}\u{1161}",
      "😀", "👍🏽", "\u{F900}", "ｆ", "য\u{9BC}", "\u{C0}", "\u{2ADC}",
    ]
    for _ in 0..<3000 {
      let text = (0..<Int.random(in: 0...24, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
      #expect(
        Array(collapse(text).utf8) == Array(Self.reference(text).utf8),
        "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
    }
  }
}
