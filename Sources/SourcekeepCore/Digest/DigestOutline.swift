import Foundation

/// What a digest parser finds before file facts (path, hash, date fallbacks) are added.
struct DigestOutline {
  var title: String?
  var headingDate: String?
  var entries: [DigestEntry] = []
  var citations: [Citation] = []
  var headingCount = 0
  var linkCount = 0

  /// Adds a link unless it is ignorable or already cited in the same entry
  /// (a source citation wins over a mention of the same URL).
  mutating func cite(
    raw: String, text: String, role: Citation.Role, entry: DigestEntry?, nearestHeading: String?, line: Int
  ) {
    let url: NormalizedURL
    switch NormalizedURL.parse(raw) {
    case .web(let u), .otherScheme(let u): url = u
    case .ignored: return
    }
    linkCount += 1
    let position = entry?.position
    if let i = citations.firstIndex(where: { $0.url == url && $0.entryPosition == position }) {
      if role == .source && citations[i].role == .mention {
        citations[i].role = .source
        citations[i].publisher = text
      }
      return
    }
    let publisher = text.trimmingCharacters(in: .whitespacesAndNewlines)
    citations.append(
      Citation(
        role: role, publisher: publisher.isEmpty ? nil : publisher, entryPosition: position,
        entryTitle: entry?.title ?? nearestHeading, rawURL: raw, url: url, line: line))
  }
}
