/// A TOML 1.0 value as sourcekeep's own reader produces it (docs/design.md#the-toml-reader).
///
/// Dates and times keep the kind TOML gives them (offset date-time, local date-time, local
/// date, local time) instead of becoming `Date`, so nothing is lost or guessed.
indirect enum TOMLValue: Sendable, Equatable {
  case string(String)
  case integer(Int64)
  case float(Double)
  case bool(Bool)
  /// `1979-05-27T07:32:00Z`, `1979-05-27 07:32:00-07:00`.
  case offsetDateTime(TOMLDate, TOMLTime, offsetMinutes: Int)
  /// `1979-05-27T07:32:00`.
  case localDateTime(TOMLDate, TOMLTime)
  /// `1979-05-27`.
  case localDate(TOMLDate)
  /// `07:32:00.999`.
  case localTime(TOMLTime)
  case array([TOMLValue])
  case table(TOMLTable)

  /// The kind's name for messages ("must be an integer, not a string").
  var kindName: String {
    switch self {
    case .string: return "string"
    case .integer: return "integer"
    case .float: return "floating-point number"
    case .bool: return "boolean"
    case .offsetDateTime, .localDateTime: return "date-time"
    case .localDate: return "date"
    case .localTime: return "time"
    case .array: return "array"
    case .table: return "table"
    }
  }
}

/// A table: keys in the order the document gives them, each once.
struct TOMLTable: Sendable, Equatable, Sequence {
  private(set) var keys: [String] = []
  private var values: [TOMLValue] = []
  private var index: [String: Int] = [:]

  init() {}

  /// A finished table from the reader, whose `index` already maps each key to its position.
  init(keys: [String], values: [TOMLValue], index: [String: Int]) {
    self.keys = keys
    self.values = values
    self.index = index
  }

  subscript(key: String) -> TOMLValue? { index[key].map { values[$0] } }

  /// Adds a key the table does not have yet (the reader checks for duplicates first).
  mutating func append(_ key: String, _ value: TOMLValue) {
    guard index[key] == nil else { return }
    index[key] = keys.count
    keys.append(key)
    values.append(value)
  }

  var count: Int { keys.count }

  static func == (a: TOMLTable, b: TOMLTable) -> Bool { a.keys == b.keys && a.values == b.values }

  func makeIterator() -> AnyIterator<(key: String, value: TOMLValue)> {
    var position = 0
    return AnyIterator { () -> (key: String, value: TOMLValue)? in
      guard position < keys.count else { return nil }
      defer { position += 1 }
      return (keys[position], values[position])
    }
  }
}

/// A calendar date as written (year 0000–9999, a real day of that month).
struct TOMLDate: Sendable, Equatable {
  var year: Int
  var month: Int
  var day: Int
}

/// A time of day as written; fractions beyond nanoseconds are cut off (TOML allows that).
struct TOMLTime: Sendable, Equatable {
  var hour: Int
  var minute: Int
  var second: Int
  var nanosecond: Int
}
