import Foundation

/// The labelled lines of the digest format (`> **来源：** …`), recognised in the text of a
/// line whatever its Markdown emphasis, with a full-width or ASCII colon.
enum DigestLabel: String, CaseIterable {
  case category = "分类"
  case sources = "来源"
  case insight = "核心洞察"
  case summary = "内容简介"

  /// Splits `来源： rest` into the label and `rest`; nil when the line has no label.
  static func split(_ line: String) -> (DigestLabel, String)? {
    let trimmed = line.trimmingCharacters(in: .whitespaces)
    for label in allCases where trimmed.hasPrefix(label.rawValue) {
      var rest = trimmed.dropFirst(label.rawValue.count).drop(while: { $0 == " " })
      guard let colon = rest.first, colon == "：" || colon == ":" else { continue }
      rest = rest.dropFirst()
      return (label, rest.trimmingCharacters(in: .whitespaces))
    }
    return nil
  }
}

/// Finds a digest's date in a heading or a file name.
enum DigestDate {
  /// `2026年02月17日` or `2026-02-17` anywhere in `text`, as `YYYY-MM-DD`, if it is a real date.
  static func find(in text: String) -> String? {
    let patterns = [
      #"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"#,
      #"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)"#,
    ]
    for pattern in patterns {
      guard let regex = try? NSRegularExpression(pattern: pattern) else { continue }
      let range = NSRange(text.startIndex..., in: text)
      for match in regex.matches(in: text, range: range) {
        let parts = (1...3).compactMap { Range(match.range(at: $0), in: text).map { Int(text[$0]) ?? 0 } }
        guard parts.count == 3, let date = valid(year: parts[0], month: parts[1], day: parts[2]) else { continue }
        return date
      }
    }
    return nil
  }

  static func valid(year: Int, month: Int, day: Int) -> String? {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let comps = DateComponents(year: year, month: month, day: day)
    guard (1900...2999).contains(year), let date = calendar.date(from: comps),
      calendar.component(.day, from: date) == day, calendar.component(.month, from: date) == month
    else { return nil }
    return String(format: "%04d-%02d-%02d", year, month, day)
  }

}
