/// A stretch of a block's text with one style: emphasis, strong, code, and the link it sits in.
///
/// The readable rendition (docs/design.md#readable-copies) keeps these; the plain `text` of
/// a block is the runs' texts joined, so a reader that ignores runs loses nothing but style.
public struct InlineRun: Sendable, Codable, Equatable {
  /// The text, whitespace collapsed as in the block's `text`.
  public var text: String
  /// Styles in force, a subset of "strong", "em", "code", "sub", "sup" (nil: none).
  public var marks: [String]?
  /// The absolute http(s) link the text sits in.
  public var href: String?

  public init(text: String, marks: [String]? = nil, href: String? = nil) {
    self.text = text
    self.marks = marks
    self.href = href
  }

  /// Spaces at the edges of a styled run move to a plain run beside it: `<a> a link </a>`
  /// underlines only "a link".
  static func movingEdgeSpacesOut(_ runs: [InlineRun]) -> [InlineRun] {
    var out: [InlineRun] = []
    for var run in runs {
      let styled = run.marks != nil || run.href != nil
      if styled, run.text.first == " " {
        run.text.removeFirst()
        if let last = out.last, last.marks == nil, last.href == nil {
          out[out.count - 1].text += " "
        } else {
          out.append(InlineRun(text: " "))
        }
      }
      var trailing = false
      if styled, run.text.last == " " {
        run.text.removeLast()
        trailing = true
      }
      if !styled, let last = out.last, last.marks == nil, last.href == nil {
        out[out.count - 1].text += run.text
      } else {
        out.append(run)
      }
      if trailing { out.append(InlineRun(text: " ")) }
    }
    return out
  }

  /// The inline elements that give their text a mark.
  static func mark(of tag: PageDOM.Tag) -> String? {
    switch tag {
    case .strong, .b: return "strong"
    case .em, .i, .cite, .dfn: return "em"
    case .code, .kbd, .samp, .tt: return "code"
    case .sub: return "sub"
    case .sup: return "sup"
    default: return nil
    }
  }

  /// Runs for raw text segments (as written, each with its marks and link), or nil when no
  /// segment has a mark or link (the block's plain text says it all) or when the joined runs
  /// would not read exactly `collapsed` (the block's text wins; style is dropped).
  static func runs(_ segments: [(text: String, marks: [String], href: String?)], collapsed: String) -> [InlineRun]? {
    guard segments.contains(where: { !$0.marks.isEmpty || $0.href != nil }) else { return nil }
    var out: [InlineRun] = []
    var endsWithSpace = true
    for s in segments {
      // A sentinel on each side shows whether collapsing left a space at either edge.
      var t = collapse("\u{1}" + s.text + "\u{1}")
      t.removeFirst()
      t.removeLast()
      if endsWithSpace && t.first == " " { t.removeFirst() }
      if t.isEmpty { continue }
      endsWithSpace = t.last == " "
      let marks = s.marks.isEmpty ? nil : s.marks
      if let last = out.last, last.marks == marks, last.href == s.href {
        out[out.count - 1].text += t
      } else {
        out.append(InlineRun(text: t, marks: marks, href: s.href))
      }
    }
    if out.last?.text.last == " " { out[out.count - 1].text.removeLast() }
    out = movingEdgeSpacesOut(out)
    out.removeAll { $0.text.isEmpty }
    guard out.map(\.text).joined() == collapsed else { return nil }
    return out
  }
}
