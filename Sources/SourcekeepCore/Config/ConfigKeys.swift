import Foundation

/// The table of contract config keys: name, allowed values, how to apply a value and how
/// to print the effective one. One row per key keeps the loader, `config check` and the
/// documented default file in step.
struct ConfigKeySpec {
  let name: String
  let allowed: String
  let apply: (ConfigValue, inout Config) throws(ConfigValueProblem) -> Void
  let render: (Config) -> String
}

enum ConfigKeys {
  static let sections = ["digests", "storage", "fetch", "health", "schedule", "capture", "web", "fallback", "journal"]

  /// Computed on each use: key paths are not Sendable, so the table is not a stored static.
  static var bySection: [String: [ConfigKeySpec]] {
    [
      "digests": [
        paths("paths", \.digests.paths),
        globs("exclude", \.digests.exclude),
      ],
      "storage": [
        string("dir", \.storage.dir, allowEmpty: false)
      ],
      "fetch": [
        string("user_agent", \.fetch.userAgent, allowEmpty: false),
        int("concurrency", \.fetch.concurrency, 1...1024),
        int("per_host_concurrency", \.fetch.perHostConcurrency, 1...64),
        int("per_host_interval_ms", \.fetch.perHostIntervalMs, 0...600_000),
        int("connect_timeout_s", \.fetch.connectTimeoutS, 1...300),
        int("timeout_s", \.fetch.timeoutS, 1...3600),
        int("max_body_mb", \.fetch.maxBodyMB, 1...1024),
        int("max_redirects", \.fetch.maxRedirects, 0...50),
        int("retries", \.fetch.retries, 0...10),
        int("link_deadline_s", \.fetch.linkDeadlineS, 1...3600),
        bool("allow_private_networks", \.fetch.allowPrivateNetworks),
        allowlist("private_allowlist", \.fetch.privateAllowlist),
        proxy("proxy", \.fetch.proxy),
      ],
      "health": [
        duration("recheck_interval", \.health.recheckInterval, min: 60),
        int("dead_after_failures", \.health.deadAfterFailures, 1...100),
        duration("dead_after", \.health.deadAfter, min: 0),
        fraction("drift_threshold", \.health.driftThreshold),
        duration("revisit_every", \.health.revisitEvery, min: 0),
      ],
      "schedule": [
        duration("ingest_every", \.schedule.ingestEvery, min: 10),
        duration("check_every", \.schedule.checkEvery, min: 10),
      ],
      "capture": [
        bool("requisites", \.capture.requisites),
        int("max_requisites", \.capture.maxRequisites, 0...1000),
        int("max_requisite_mb", \.capture.maxRequisiteMB, 1...1024),
        int("max_requisites_mb_per_page", \.capture.maxRequisitesMBPerPage, 1...4096),
      ],
      "web": [
        listen("listen", \.web.listen),
        httpURL("public_url", \.web.publicURL, allowEmpty: true),
        choice("auth", \.web.auth),
        string("htpasswd", \.web.htpasswd, allowEmpty: true),
        bool("public", \.web.isPublic),
      ],
      "fallback": [
        bool("wayback", \.fallback.wayback),
        httpURL("wayback_endpoint", \.fallback.waybackEndpoint, allowEmpty: false),
        httpURL("memento_timegate", \.fallback.mementoTimegate, allowEmpty: true),
        bool("save_page_now", \.fallback.savePageNow),
        string("spn_keys_file", \.fallback.spnKeysFile, allowEmpty: true),
      ],
      "journal": [
        int("keep_days", \.journal.keepDays, 0...36500)
      ],
    ]
  }

  /// Every key in file order, dotted, with its spec.
  static var all: [(key: String, spec: ConfigKeySpec)] {
    sections.flatMap { section in bySection[section]!.map { ("\(section).\($0.name)", $0) } }
  }

  // MARK: Key kinds

  static func int(_ name: String, _ path: WritableKeyPath<Config, Int>, _ range: ClosedRange<Int>)
    -> ConfigKeySpec
  {
    ConfigKeySpec(
      name: name, allowed: "an integer from \(range.lowerBound) to \(range.upperBound)",
      apply: { value, config throws(ConfigValueProblem) in
        guard case .int(let n) = value else {
          throw ConfigValueProblem(message: "must be an integer, not \(value.typeName)")
        }
        guard range.contains(n) else { throw ConfigValueProblem(message: "\(n) is out of range") }
        config[keyPath: path] = n
      },
      render: { String($0[keyPath: path]) })
  }

  static func bool(_ name: String, _ path: WritableKeyPath<Config, Bool>) -> ConfigKeySpec {
    ConfigKeySpec(
      name: name, allowed: "true or false",
      apply: { value, config throws(ConfigValueProblem) in
        guard case .bool(let b) = value else {
          throw ConfigValueProblem(message: "must be a boolean, not \(value.typeName)")
        }
        config[keyPath: path] = b
      },
      render: { String($0[keyPath: path]) })
  }

  static func string(_ name: String, _ path: WritableKeyPath<Config, String>, allowEmpty: Bool)
    -> ConfigKeySpec
  {
    ConfigKeySpec(
      name: name, allowed: allowEmpty ? "a string" : "a non-empty string",
      apply: { value, config throws(ConfigValueProblem) in
        guard case .string(let s) = value else {
          throw ConfigValueProblem(message: "must be a string, not \(value.typeName)")
        }
        if !allowEmpty && s.trimmingCharacters(in: .whitespaces).isEmpty {
          throw ConfigValueProblem(message: "must not be empty")
        }
        config[keyPath: path] = s
      },
      render: { quoted($0[keyPath: path]) })
  }

  static func paths(_ name: String, _ path: WritableKeyPath<Config, [String]>) -> ConfigKeySpec {
    stringArray(
      name, path, allowed: "an array of file or directory paths, e.g. [\"digests\"]",
      check: { $0.isEmpty ? "every item must be a non-empty string" : nil })
  }

  static func allowlist(_ name: String, _ path: WritableKeyPath<Config, [String]>) -> ConfigKeySpec {
    stringArray(
      name, path, allowed: "an array of IP addresses or CIDR blocks, e.g. [\"10.1.2.3\", \"192.168.0.0/16\"]",
      check: { CIDRBlock($0) == nil ? "\(quoted($0)) is not an IP address or CIDR block" : nil })
  }

  /// An array of strings, each passing `check` (which returns the problem, or nil).
  static func stringArray(
    _ name: String, _ path: WritableKeyPath<Config, [String]>, allowed: String, check: @escaping (String) -> String?
  ) -> ConfigKeySpec {
    ConfigKeySpec(
      name: name, allowed: allowed,
      apply: { value, config throws(ConfigValueProblem) in
        guard case .array(let items) = value else {
          throw ConfigValueProblem(message: "must be an array of strings, not \(value.typeName)")
        }
        var out: [String] = []
        for item in items {
          guard case .string(let s) = item else {
            throw ConfigValueProblem(message: "every item must be a string, not \(item.typeName)")
          }
          if let problem = check(s) { throw ConfigValueProblem(message: problem) }
          out.append(s)
        }
        config[keyPath: path] = out
      },
      render: { "[" + $0[keyPath: path].map(quoted).joined(separator: ", ") + "]" })
  }

  static func globs(_ name: String, _ path: WritableKeyPath<Config, [String]>) -> ConfigKeySpec {
    stringArray(
      name, path, allowed: "an array of glob patterns, e.g. [\"notes.md\", \"drafts/**\"]",
      check: { GlobPattern($0) == nil ? "\(quoted($0)) is not a glob pattern (empty, or an unclosed [)" : nil })
  }

  static func listen(_ name: String, _ path: WritableKeyPath<Config, String>) -> ConfigKeySpec {
    ConfigKeySpec(
      name: name,
      allowed: "\"\" (off) or ADDR:PORT with an IP address or localhost, e.g. \"127.0.0.1:8470\", \"[::1]:8470\"",
      apply: { value, config throws(ConfigValueProblem) in
        guard case .string(let s) = value else {
          throw ConfigValueProblem(message: "must be a string, not \(value.typeName)")
        }
        guard s.isEmpty || ListenAddress(s) != nil else {
          throw ConfigValueProblem(message: "\(quoted(s)) is not ADDR:PORT")
        }
        config[keyPath: path] = s
      },
      render: { quoted($0[keyPath: path]) })
  }

  /// An http(s) URL with a host (a trailing `/` is dropped), or "" when `allowEmpty`.
  static func httpURL(_ name: String, _ path: WritableKeyPath<Config, String>, allowEmpty: Bool) -> ConfigKeySpec {
    ConfigKeySpec(
      name: name, allowed: (allowEmpty ? "\"\" or " : "") + "an http:// or https:// URL",
      apply: { value, config throws(ConfigValueProblem) in
        guard case .string(let s) = value else {
          throw ConfigValueProblem(message: "must be a string, not \(value.typeName)")
        }
        if s.isEmpty && allowEmpty {
          config[keyPath: path] = s
          return
        }
        guard let url = URL(string: s), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
          url.host?.isEmpty == false, !s.contains(where: { $0.isWhitespace })
        else { throw ConfigValueProblem(message: "\(quoted(s)) is not an http(s) URL") }
        config[keyPath: path] = s.hasSuffix("/") ? String(s.dropLast()) : s
      },
      render: { quoted($0[keyPath: path]) })
  }

  static func choice<Value: RawRepresentable & CaseIterable>(_ name: String, _ path: WritableKeyPath<Config, Value>)
    -> ConfigKeySpec where Value.RawValue == String
  {
    let names = Value.allCases.map { quoted($0.rawValue) }
    return ConfigKeySpec(
      name: name, allowed: names.joined(separator: " or "),
      apply: { value, config throws(ConfigValueProblem) in
        guard case .string(let s) = value else {
          throw ConfigValueProblem(message: "must be a string, not \(value.typeName)")
        }
        guard let v = Value(rawValue: s) else { throw ConfigValueProblem(message: "\(quoted(s)) is not a choice") }
        config[keyPath: path] = v
      },
      render: { quoted($0[keyPath: path].rawValue) })
  }

  static func proxy(_ name: String, _ path: WritableKeyPath<Config, String>) -> ConfigKeySpec {
    ConfigKeySpec(
      name: name,
      allowed: "\"\" (none: proxy variables ignored), \"env\" (the http_proxy/https_proxy/no_proxy variables) "
        + "or an http:// or https:// proxy URL",
      apply: { value, config throws(ConfigValueProblem) in
        guard case .string(let s) = value else {
          throw ConfigValueProblem(message: "must be a string, not \(value.typeName)")
        }
        let lower = s.lowercased()
        guard s.isEmpty || s == "env" || lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
          throw ConfigValueProblem(message: "\(quoted(s)) is not an http(s) URL")
        }
        config[keyPath: path] = s
      },
      render: { quoted($0[keyPath: path]) })
  }

  static func duration(_ name: String, _ path: WritableKeyPath<Config, ConfigDuration>, min: Int64)
    -> ConfigKeySpec
  {
    let minText = ConfigDuration(seconds: min).description
    return ConfigKeySpec(
      name: name, allowed: "a duration such as \"90s\", \"15m\", \"24h\" or \"7d\", at least \(minText)",
      apply: { value, config throws(ConfigValueProblem) in
        guard case .string(let s) = value else {
          throw ConfigValueProblem(message: "must be a duration string, not \(value.typeName)")
        }
        guard let d = ConfigDuration(parsing: s) else {
          throw ConfigValueProblem(message: "\(quoted(s)) is not a duration")
        }
        guard d.seconds >= min else { throw ConfigValueProblem(message: "\(quoted(s)) is too short") }
        config[keyPath: path] = d
      },
      render: { quoted($0[keyPath: path].description) })
  }

  static func fraction(_ name: String, _ path: WritableKeyPath<Config, Double>) -> ConfigKeySpec {
    ConfigKeySpec(
      name: name, allowed: "a number from 0.0 to 1.0",
      apply: { value, config throws(ConfigValueProblem) in
        let d: Double
        switch value {
        case .double(let x): d = x
        case .int(let n): d = Double(n)
        default: throw ConfigValueProblem(message: "must be a number, not \(value.typeName)")
        }
        guard (0...1).contains(d) else { throw ConfigValueProblem(message: "\(d) is out of range") }
        config[keyPath: path] = d
      },
      render: { String($0[keyPath: path]) })
  }

  static func quoted(_ s: String) -> String {
    "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
  }

}
