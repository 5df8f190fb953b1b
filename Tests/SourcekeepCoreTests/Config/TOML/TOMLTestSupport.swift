@testable import SourcekeepCore

/// Shorthands for the TOML reader suites.
enum TOML {
  /// The value of `v` in `text` (a document that sets `v`).
  static func value(_ text: String) throws -> TOMLValue? {
    try TOMLReader.parse(text)["v"]
  }

  /// The error `text` gives, or nil when it is accepted.
  static func error(_ text: String) -> TOMLError? {
    do {
      _ = try TOMLReader.parse(text)
      return nil
    } catch {
      return error
    }
  }

  static func error(_ bytes: [UInt8]) -> TOMLError? {
    do {
      _ = try TOMLReader.parse(bytes)
      return nil
    } catch {
      return error
    }
  }

  static func table(_ pairs: [(String, TOMLValue)]) -> TOMLValue {
    var table = TOMLTable()
    for (key, value) in pairs { table.append(key, value) }
    return .table(table)
  }
}
