import SourcekeepCore

/// RFC 7089 link relations for a URL's captures: the `Link` header of a memento and the
/// TimeMap body (`application/link-format`, RFC 6690).
///
/// `origin` (`https://archive.example.org`, or the request's own scheme and host) makes every
/// target absolute, as Memento clients and aggregators expect; an empty origin leaves the
/// web view's paths relative.
struct MementoLinks {
  var origin: String
  var url: String
  var mementos: [Memento]

  var original: String { WebPath.embedded(url) }
  var timegate: String { origin + "/web/" + WebPath.embedded(url) }
  var timemap: String { origin + "/web/timemap/link/" + WebPath.embedded(url) }

  func uri(_ m: Memento) -> String { origin + WebPath.memento(MementoTime.digits(m.capturedAt), url) }

  func datetime(_ m: Memento) -> String { MementoTime.httpDate(m.date) }

  /// `first`, `last`, … words for the memento at `index`, ending in `memento`.
  private func rel(_ index: Int, words: [String]) -> String {
    var all = words
    if index == 0 { all.insert("first", at: 0) }
    if index == mementos.count - 1 { all.append("last") }
    return (all + ["memento"]).joined(separator: " ")
  }

  /// The `Link` header of the memento at `index`: original, timegate, timemap, then first,
  /// prev, itself, next and last (a capture that is several of these is listed once, with
  /// its relation types together, as RFC 7089 §2.2.1's examples do).
  func header(for index: Int) -> String {
    var parts = [
      "<\(original)>; rel=\"original\"",
      "<\(timegate)>; rel=\"timegate\"",
      "<\(timemap)>; rel=\"timemap\"; type=\"application/link-format\"",
    ]
    var chosen: [(Int, [String])] = []
    func add(_ i: Int, _ word: String?) {
      guard mementos.indices.contains(i) else { return }
      if let at = chosen.firstIndex(where: { $0.0 == i }) {
        if let word { chosen[at].1.append(word) }
      } else {
        chosen.append((i, word.map { [$0] } ?? []))
      }
    }
    add(0, nil)
    add(index - 1, "prev")
    add(index, nil)
    add(index + 1, "next")
    add(mementos.count - 1, nil)
    for (i, words) in chosen.sorted(by: { $0.0 < $1.0 }) {
      let m = mementos[i]
      parts.append("<\(uri(m))>; rel=\"\(rel(i, words: words))\"; datetime=\"\(datetime(m))\"")
    }
    return parts.joined(separator: ", ")
  }

  /// The `Link` header of a TimeGate's redirect (RFC 7089 §4.1.1: original and timemap).
  var timegateHeader: String {
    "<\(original)>; rel=\"original\", <\(timemap)>; rel=\"timemap\"; type=\"application/link-format\""
  }

  /// The TimeMap: original, self (with from/until), timegate, then every memento oldest first.
  var timemapBody: String {
    var lines = ["<\(original)>; rel=\"original\""]
    var me = "<\(timemap)>; rel=\"self\"; type=\"application/link-format\""
    if let first = mementos.first, let last = mementos.last {
      me += "; from=\"\(datetime(first))\"; until=\"\(datetime(last))\""
    }
    lines.append(me)
    lines.append("<\(timegate)>; rel=\"timegate\"")
    for (i, m) in mementos.enumerated() {
      lines.append("<\(uri(m))>; rel=\"\(rel(i, words: []))\"; datetime=\"\(datetime(m))\"")
    }
    return lines.joined(separator: ",\n") + "\n"
  }
}
