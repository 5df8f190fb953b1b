#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Converts bytes in a named legacy charset (GB18030, Big5, Shift_JIS, windows-1252 ...) to UTF-8.
///
/// Pages must be decoded before libxml2 sees them so that the charset decision is ours
/// (precedence in `SourcekeepCore/Page/Charset.swift`) and a GBK page never becomes mojibake.
/// Uses the C library's iconv; undecodable bytes become U+FFFD instead of ending the text.
public enum Transcoder {
  /// Whether iconv knows the charset name.
  public static func supports(_ charset: String) -> Bool {
    let cd = iconv_open("UTF-8", charset)
    if cd == iconv_t(bitPattern: -1) { return false }
    iconv_close(cd)
    return true
  }

  /// Decodes `bytes` from `charset` into UTF-8 bytes, or nil if iconv does not know the charset
  /// (or, when `strict`, if any byte sequence is invalid in it).
  /// - SeeAlso: <https://man7.org/linux/man-pages/man3/iconv.3.html>
  public static func utf8(from bytes: [UInt8], charset: String, strict: Bool = false) -> [UInt8]? {
    let cd = iconv_open("UTF-8", charset)
    if cd == iconv_t(bitPattern: -1) { return nil }
    defer { iconv_close(cd) }
    var output = [UInt8]()
    output.reserveCapacity(bytes.count * 3 / 2 + 16)
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    var offset = 0
    let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]
    var failed = false
    bytes.withUnsafeBufferPointer { input in
      guard let base = input.baseAddress else { return }
      while offset < input.count {
        var inPtr = UnsafeMutablePointer(mutating: base + offset).withMemoryRebound(to: CChar.self, capacity: 1) { $0 }
        var inLeft = input.count - offset
        let before = inLeft
        var produced = 0
        let rc = chunk.withUnsafeMutableBufferPointer { out -> Int in
          var outPtr: UnsafeMutablePointer<CChar>? = out.baseAddress!.withMemoryRebound(to: CChar.self, capacity: 1) {
            $0
          }
          var outLeft = out.count
          var inOpt: UnsafeMutablePointer<CChar>? = inPtr
          let r = iconv(cd, &inOpt, &inLeft, &outPtr, &outLeft)
          produced = out.count - outLeft
          if let p = inOpt { inPtr = p }
          return r
        }
        output.append(contentsOf: chunk[0..<produced])
        offset += before - inLeft
        if rc == -1 {
          let err = errno
          if err == E2BIG { continue }
          // EILSEQ or EINVAL (truncated tail): emit U+FFFD and skip one byte.
          if strict {
            failed = true
            return
          }
          output.append(contentsOf: replacement)
          offset += 1
          iconv(cd, nil, nil, nil, nil)
        }
      }
    }
    return failed ? nil : output
  }
}
