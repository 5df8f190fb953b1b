/// The first CR LF CR LF in `bytes` at or after `start`: where a WARC record's or an HTTP
/// message's head ends. A byte loop: the generic `firstRange(of:)` went through Foundation's
/// string search and was a tenth of `verify`'s CPU (docs/performance.md#verify).
func firstBlankLine(in bytes: [UInt8], from start: Int = 0) -> Range<Int>? {
  var i = start
  let last = bytes.count - 4
  while i <= last {
    // Test the last byte of the window first: in header text, a LF is far rarer than a byte.
    if bytes[i + 3] != 0x0A {
      i += bytes[i + 3] == 0x0D ? 1 : 4
      continue
    }
    if bytes[i] == 0x0D && bytes[i + 1] == 0x0A && bytes[i + 2] == 0x0D { return i..<(i + 4) }
    i += 1
  }
  return nil
}
