/// Renders the effective configuration as TOML, each key annotated with where it came from
/// (`sourcekeep config check`). The output is itself a valid config file.
public enum EffectiveConfig {
  public static func render(_ loaded: LoadedConfig) -> String {
    var lines = ["# effective configuration: \(loaded.origin)"]
    for section in ConfigKeys.sections {
      lines.append("")
      lines.append("[\(section)]")
      let specs = ConfigKeys.bySection[section] ?? []
      let rendered = specs.map { ($0.name, $0.render(loaded.config)) }
      let width = rendered.map { $0.0.count + 3 + $0.1.count }.max() ?? 0
      for (name, value) in rendered {
        let assignment = "\(name) = \(value)"
        let from = loaded.keysFromFile.contains("\(section).\(name)") ? "from file" : "default"
        let pad = String(repeating: " ", count: max(1, width - assignment.count + 2))
        lines.append("\(assignment)\(pad)# \(from)")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The effective configuration as JSON (`config check --json`): the origin, then per section
  /// each key's value (as TOML text parsed back: strings, numbers, booleans, arrays) and source.
  public static func json(_ loaded: LoadedConfig) -> JSONValue {
    var sections: [(String, JSONValue)] = []
    for section in ConfigKeys.sections {
      let specs = ConfigKeys.bySection[section] ?? []
      sections.append(
        (
          section,
          .object(
            specs.map { spec in
              let rendered = spec.render(loaded.config)
              let value = JSONValue.parse(rendered) ?? .string(rendered)
              let from = loaded.keysFromFile.contains("\(section).\(spec.name)") ? "file" : "default"
              return (spec.name, .object([("value", value), ("from", .string(from))]))
            })
        ))
    }
    return .object([
      ("ok", true), ("config", .optional(loaded.origin.path)), ("origin", .string(loaded.origin.description)),
      ("sections", .object(sections)),
    ])
  }
}
