/// A shell-style glob for `[digests] exclude` (docs/design.md#configuration).
///
/// `*` matches within one path segment, `**` across segments (`drafts/**`, `**/notes.md`),
/// `?` one character, `[abc]`, `[a-z]` and `[!x]` one character of a set. Matching is a table
/// over pattern and path positions, so no pattern can make it backtrack exponentially.
public struct GlobPattern: Sendable, Equatable {
  enum Token: Sendable, Equatable {
    case literal(Character)
    case one
    case star
    /// `**`: any run of characters, `/` included.
    case globstar
    /// `**/`: nothing, or any run ending in `/` (so `**/a.md` also matches `a.md`).
    case anyDirectories
    case set([ClosedRange<Character>], negated: Bool)
  }

  let tokens: [Token]
  /// True when the pattern names a path (has a `/`), false when it names a file name.
  public let matchesPath: Bool

  /// Parses a pattern; nil when it is empty or has an unclosed `[`.
  public init?(_ pattern: String) {
    guard !pattern.isEmpty else { return nil }
    var tokens: [Token] = []
    let chars = Array(pattern)
    var i = 0
    while i < chars.count {
      let c = chars[i]
      switch c {
      case "*":
        if i + 1 < chars.count && chars[i + 1] == "*" {
          if i + 2 < chars.count && chars[i + 2] == "/" {
            tokens.append(.anyDirectories)
            i += 3
          } else {
            tokens.append(.globstar)
            i += 2
          }
          continue
        }
        tokens.append(.star)
      case "?":
        tokens.append(.one)
      case "[":
        guard let (token, next) = Self.parseSet(chars, from: i + 1) else { return nil }
        tokens.append(token)
        i = next
        continue
      case "\\" where i + 1 < chars.count:
        tokens.append(.literal(chars[i + 1]))
        i += 2
        continue
      default:
        tokens.append(.literal(c))
      }
      i += 1
    }
    self.tokens = tokens
    self.matchesPath = pattern.contains("/")
  }

  /// `[...]` starting after the `[`: the token and the index after the closing `]`.
  static func parseSet(_ chars: [Character], from start: Int) -> (Token, Int)? {
    var i = start
    var negated = false
    if i < chars.count && (chars[i] == "!" || chars[i] == "^") {
      negated = true
      i += 1
    }
    var ranges: [ClosedRange<Character>] = []
    var first = true
    while i < chars.count {
      let c = chars[i]
      if c == "]" && !first { return (.set(ranges, negated: negated), i + 1) }
      first = false
      if i + 2 < chars.count && chars[i + 1] == "-" && chars[i + 2] != "]" {
        let (low, high) = (c, chars[i + 2])
        guard low <= high else { return nil }
        ranges.append(low...high)
        i += 3
      } else {
        ranges.append(c...c)
        i += 1
      }
    }
    return nil
  }

  /// Whether the pattern matches a digest file: its name, or (for a pattern with `/`) its
  /// path relative to the configured folder.
  public func matches(relativePath: String) -> Bool {
    let subject = matchesPath ? relativePath : String(relativePath.split(separator: "/").last ?? "")
    return matches(Array(subject))
  }

  func matches(_ text: [Character]) -> Bool {
    let n = tokens.count
    let m = text.count
    // table[i][j]: tokens[i...] match text[j...]. Filled from the end.
    var table = [[Bool]](repeating: [Bool](repeating: false, count: m + 1), count: n + 1)
    table[n][m] = true
    for i in stride(from: n - 1, through: 0, by: -1) {
      for j in stride(from: m, through: 0, by: -1) {
        let here = j < m ? text[j] : nil
        switch tokens[i] {
        case .literal(let c): table[i][j] = here == c && table[i + 1][j + 1]
        case .one: table[i][j] = here != nil && here != "/" && table[i + 1][j + 1]
        case .star: table[i][j] = table[i + 1][j] || (here != nil && here != "/" && table[i][j + 1])
        case .globstar: table[i][j] = table[i + 1][j] || (here != nil && table[i][j + 1])
        case .anyDirectories:
          // Nothing, or a run that ends with "/" at some k > j.
          var hit = table[i + 1][j]
          var k = j
          while !hit && k < m {
            if text[k] == "/" && table[i + 1][k + 1] { hit = true }
            k += 1
          }
          table[i][j] = hit
        case .set(let ranges, let negated):
          guard let here, here != "/" else {
            table[i][j] = false
            continue
          }
          table[i][j] = ranges.contains { $0.contains(here) } != negated && table[i + 1][j + 1]
        }
      }
    }
    return table[0][0]
  }
}
