import ArgumentParser

/// "Did you mean …?" for a mistyped subcommand or option, as git does
/// (docs/design.md#cli: `sourcekeep stauts` exits 64 naming `status`).
///
/// ArgumentParser answers a mistyped subcommand with "Unexpected argument" and the root's
/// whole help; this looks at the arguments first and names the nearest command instead.
enum Suggestions {
  /// Words every command group also accepts besides its subcommands.
  static let builtins: Set<String> = ["help"]

  /// The message for an unknown subcommand in `arguments` (already past `GlobalOptions`), or
  /// nil when every word naming a command is one.
  static func unknownCommand(_ arguments: [String], root: any ParsableCommand.Type) -> String? {
    var command = root
    var path: [String] = []
    var skipValue = false
    for argument in arguments {
      // Global options left in front (a mistyped command stops `GlobalOptions` moving them).
      if skipValue {
        skipValue = false
        continue
      }
      if GlobalOptions.withValue.contains(argument) {
        skipValue = true
        continue
      }
      if GlobalOptions.flags.contains(argument)
        || GlobalOptions.withValue.contains(where: { argument.hasPrefix($0 + "=") })
      {
        continue
      }
      let subcommands = command.configuration.subcommands
      // Leaf commands take positional arguments of their own (`probe URL`); options end the path.
      guard !subcommands.isEmpty, !argument.hasPrefix("-") else { return nil }
      if builtins.contains(argument) { return nil }
      guard let sub = subcommands.first(where: { $0._commandName == argument }) else {
        let names = subcommands.map { $0._commandName }
        let scope = (["sourcekeep"] + path).joined(separator: " ")
        var message = "\(scope): unknown command '\(argument)'."
        if let near = nearest(argument, in: names) {
          message += " Did you mean '\(near)'?"
        } else {
          message += " Commands: \(names.joined(separator: ", "))."
        }
        return message + " See `\(scope) --help`."
      }
      path.append(argument)
      command = sub
    }
    return nil
  }

  /// The message for ArgumentParser's "Unknown option '--jsn'" error, naming the nearest option
  /// the command takes (read from its own help), or nil for any other error.
  static func unknownOption(_ error: any Error, arguments: [String], root: any ParsableCommand.Type) -> String? {
    let text = root.message(for: error)
    let prefix = "Unknown option '"
    guard text.hasPrefix(prefix), let end = text.dropFirst(prefix.count).firstIndex(of: "'") else { return nil }
    let option = String(text[text.index(text.startIndex, offsetBy: prefix.count)..<end])
    var command = root
    var path: [String] = []
    for argument in arguments {
      guard let sub = command.configuration.subcommands.first(where: { $0._commandName == argument }) else { break }
      path.append(argument)
      command = sub
    }
    let scope = (["sourcekeep"] + path).joined(separator: " ")
    var message = "\(scope): unknown option '\(option)'."
    if let near = nearest(option, in: options(of: command, root: root)) { message += " Did you mean '\(near)'?" }
    return message + " See `\(scope) --help`."
  }

  /// The long options a command's help lists (`--json`, `--fail-on`, …).
  static func options(of command: any ParsableCommand.Type, root: any ParsableCommand.Type) -> [String] {
    let help = root.helpMessage(for: command, columns: 1000)
    let tokens = help.split { !($0.isLetter || $0.isNumber || $0 == "-") }.map(String.init)
    var found: [String] = []
    for token in tokens where token.hasPrefix("--") && token.count > 2 && !found.contains(token) {
      found.append(token)
    }
    return found
  }

  /// The candidate closest to `word`, when close enough to be a typo: at most one edit for
  /// short words, two for longer ones (a swapped pair of letters counts as one edit).
  static func nearest(_ word: String, in candidates: [String]) -> String? {
    let scored = candidates.map { ($0, distance(word.lowercased(), $0)) }
    guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
    let limit = word.count <= 4 ? 1 : 2
    if best.1 <= limit { return best.0 }
    // A unique prefix (`stat` for `status`) is also a likely meaning.
    let prefixed = candidates.filter { $0.hasPrefix(word) }
    return word.count >= 3 && prefixed.count == 1 ? prefixed[0] : nil
  }

  /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
  /// two neighbouring characters each cost one.
  static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in 1...a.count {
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
        }
      }
    }
    return d[a.count][b.count]
  }
}
