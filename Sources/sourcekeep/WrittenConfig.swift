import Foundation
import SourcekeepCore

/// `config check` for people: each value as the file wrote it (`check_every = "6h"`, `dir =
/// "data"`), with where it came from, and the effective value beside it when the loader turned
/// it into something else (a relative path resolved, `24h` read as `1d`).
/// docs/design.md#config-check
enum WrittenConfig {
  /// `section.key` → the value's text as written on its line (comment stripped), for the
  /// one-line `key = value` assignments of `text`. Multi-line values and anything unusual are
  /// left out: the effective value is printed for those.
  static func rawValues(_ text: String) -> [String: String] {
    var section = ""
    var out: [String: String] = [:]
    for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = rawLine.trimmingCharacters(in: .whitespaces)
      if line.hasPrefix("[") && !line.hasPrefix("[[") {
        if let end = line.firstIndex(of: "]") {
          section = line[line.index(after: line.startIndex)..<end].trimmingCharacters(in: .whitespaces)
        }
        continue
      }
      guard let equals = line.firstIndex(of: "=") else { continue }
      let key = line[..<equals].trimmingCharacters(in: .whitespaces)
      guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else { continue }
      let value = stripComment(String(line[line.index(after: equals)...])).trimmingCharacters(in: .whitespaces)
      guard !value.isEmpty, !value.hasPrefix("\"\"\""), !value.hasPrefix("'''"), balanced(value) else { continue }
      out[section.isEmpty ? key : section + "." + key] = value
    }
    return out
  }

  /// The text before a `#` that is outside quotes.
  static func stripComment(_ text: String) -> String {
    var quote: Character?
    var escaped = false
    var out = ""
    for ch in text {
      if let q = quote {
        if escaped {
          escaped = false
        } else if ch == "\\" && q == "\"" {
          escaped = true
        } else if ch == q {
          quote = nil
        }
      } else if ch == "\"" || ch == "'" {
        quote = ch
      } else if ch == "#" {
        break
      }
      out.append(ch)
    }
    return out
  }

  /// Whether brackets close on the line (an array written over several lines does not).
  static func balanced(_ value: String) -> Bool {
    value.filter { $0 == "[" }.count == value.filter { $0 == "]" }.count
  }

  /// `"24h"` and `"1d"`: the same duration spelled two ways is no news.
  static func sameDuration(_ a: String, _ b: String) -> Bool {
    func seconds(_ s: String) -> Int64? {
      guard s.count > 2, s.hasPrefix("\""), s.hasSuffix("\"") else { return nil }
      return ConfigDuration(parsing: String(s.dropFirst().dropLast()))?.seconds
    }
    guard let x = seconds(a), let y = seconds(b) else { return false }
    return x == y
  }

  /// A value of `EffectiveConfig.json` as TOML text.
  static func toml(_ value: JSONValue) -> String {
    switch value {
    case .string(let s):
      return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    case .array(let items): return "[" + items.map(toml).joined(separator: ", ") + "]"
    default: return value.compact
    }
  }

  /// The whole listing: the origin, then per section `key = value  # from file|default`.
  static func render(_ loaded: LoadedConfig) -> String {
    let raw = loaded.origin.path.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }.map(rawValues) ?? [:]
    let effective = EffectiveConfig.json(loaded)
    var lines = ["# effective configuration: \(loaded.origin)"]
    guard case .object(let sections)? = effective["sections"] else { return EffectiveConfig.render(loaded) }
    for (section, keys) in sections {
      guard case .object(let entries) = keys else { continue }
      lines.append("")
      lines.append("[\(section)]")
      var rows: [(String, String)] = []
      for (name, entry) in entries {
        let value = toml(entry["value"] ?? .null)
        let fromFile = entry["from"] == "file"
        var note = fromFile ? "from file" : "default"
        var shown = value
        if fromFile, let written = raw["\(section).\(name)"] {
          shown = written
          if written != value && !sameDuration(written, value) { note += ", effective \(value)" }
        }
        rows.append(("\(name) = \(shown)", note))
      }
      let width = min(60, rows.map { $0.0.count }.max() ?? 0)
      for (assignment, note) in rows {
        lines.append(assignment + String(repeating: " ", count: max(2, width - assignment.count + 2)) + "# " + note)
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
