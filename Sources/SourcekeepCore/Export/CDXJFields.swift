/// Reads the JSON block of a CDXJ line as the catalog stores it (`archive_record.cdx_json`):
/// one flat object of string members, spelled as `IndexedRecord.json` writes it.
///
/// Why not `JSONSerialization`: export reads the block of every record it packs (8,000 for a
/// 2,000-article store), and building Foundation dictionaries for it was 6 % of an export's
/// CPU (docs/performance.md#wacz-export). Anything this reader does not expect (a number, a
/// nested value, a bad escape) makes it answer nil, and the caller falls back to Foundation.
enum CDXJFields {
  /// The members of `json` in order, values unescaped; nil when it is not a flat object of strings.
  static func parse(_ json: String) -> [(String, String)]? {
    var members: [(String, String)] = []
    var bytes = json.utf8.makeIterator()
    var next = bytes.next()
    func skipSpace() {
      while let b = next, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { next = bytes.next() }
    }
    // A JSON string starting at `"`; `next` is left after its closing quote.
    func string() -> String? {
      guard next == 0x22 else { return nil }
      var units: [UInt16] = []
      var raw: [UInt8] = []
      while true {
        guard let b = bytes.next() else { return nil }
        switch b {
        case 0x22:
          next = bytes.next()
          return units.isEmpty ? String(decoding: raw, as: UTF8.self) : flush(&raw, into: units)
        case 0x5C:
          guard let e = bytes.next() else { return nil }
          var unit: UInt16
          switch e {
          case 0x22, 0x5C, 0x2F: unit = UInt16(e)
          case 0x6E: unit = 0x0A
          case 0x72: unit = 0x0D
          case 0x74: unit = 0x09
          case 0x62: unit = 0x08
          case 0x66: unit = 0x0C
          case 0x75:
            unit = 0
            for _ in 0..<4 {
              guard let h = bytes.next(), let digit = hexValue(h) else { return nil }
              unit = unit << 4 | digit
            }
          default: return nil
          }
          units.append(contentsOf: String(decoding: raw, as: UTF8.self).utf16)
          raw.removeAll(keepingCapacity: true)
          units.append(unit)
        default:
          raw.append(b)
        }
      }
    }
    func flush(_ raw: inout [UInt8], into units: [UInt16]) -> String {
      String(decoding: units + String(decoding: raw, as: UTF8.self).utf16, as: UTF16.self)
    }
    skipSpace()
    guard next == 0x7B else { return nil }
    next = bytes.next()
    skipSpace()
    if next == 0x7D { return members }
    while true {
      skipSpace()
      guard let key = string() else { return nil }
      skipSpace()
      guard next == 0x3A else { return nil }
      next = bytes.next()
      skipSpace()
      guard let value = string() else { return nil }
      members.append((key, value))
      skipSpace()
      if next == 0x2C {
        next = bytes.next()
        continue
      }
      guard next == 0x7D else { return nil }
      next = bytes.next()
      skipSpace()
      return next == nil ? members : nil
    }
  }

  private static func hexValue(_ b: UInt8) -> UInt16? {
    switch b {
    case 0x30...0x39: UInt16(b - 0x30)
    case 0x41...0x46: UInt16(b - 0x41 + 10)
    case 0x61...0x66: UInt16(b - 0x61 + 10)
    default: nil
    }
  }
}
