import Testing

@testable import SourcekeepCore

@Suite struct TextLengthTests {
  @Test func countsUnicodeScalarsNotBytesOrGraphemes() {
    let mixed = "千问 GPT-4o 👍🏽 e\u{301}"  // é as e + combining acute: two scalars, one grapheme
    #expect(mixed.scalarCount == mixed.unicodeScalars.count)
    #expect(mixed.scalarCount == 15)
    #expect(mixed.count == 13)
    #expect("".scalarCount == 0)
    let long = String(repeating: "模型 architecture 推理。\u{3000}", count: 3000)
    #expect(long.scalarCount == long.unicodeScalars.count)
  }
}
