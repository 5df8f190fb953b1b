import Testing

@testable import SourcekeepCore

/// Integers, floats and booleans (toml.io/en/v1.0.0#integer, #float, #boolean).
@Suite struct TOMLNumberTests {
  @Test(
    arguments: [
      ("+99", 99), ("42", 42), ("0", 0), ("-17", -17), ("+0", 0), ("-0", 0), ("1_000", 1000),
      ("5_349_221", 5_349_221), ("53_49_221", 5_349_221), ("0xDEADBEEF", 0xDEAD_BEEF), ("0xdead_beef", 0xDEAD_BEEF),
      ("0x00ff", 255), ("0o01234567", 0o01234567), ("0o755", 0o755), ("0b11010110", 0b11010110),
      ("9223372036854775807", Int64.max), ("-9223372036854775808", Int64.min), ("0x7FFFFFFFFFFFFFFF", Int64.max),
    ] as [(String, Int64)])
  func validIntegers(_ text: String, _ expected: Int64) throws {
    #expect(try TOML.value("v = \(text)") == .integer(expected), "\(text)")
  }

  @Test(
    arguments: [
      ("+1.0", 1.0), ("3.1415", 3.1415), ("-0.01", -0.01), ("5e+22", 5e22), ("1e06", 1e6), ("-2E-2", -0.02),
      ("6.626e-34", 6.626e-34), ("224_617.445_991_228", 224_617.445_991_228), ("1e1_0", 1e10), ("0.0", 0),
      ("0e0", 0), ("1e400", .infinity), ("inf", .infinity), ("+inf", .infinity), ("-inf", -.infinity),
    ] as [(String, Double)])
  func validFloats(_ text: String, _ expected: Double) throws {
    #expect(try TOML.value("v = \(text)") == .float(expected), "\(text)")
  }

  @Test func nanAndNegativeZero() throws {
    for text in ["nan", "+nan", "-nan"] {
      guard case .float(let x) = try TOML.value("v = \(text)") else {
        Issue.record("\(text) is not a float")
        continue
      }
      #expect(x.isNaN)
    }
    guard case .float(let zero) = try TOML.value("v = -0.0") else {
      Issue.record("-0.0")
      return
    }
    #expect(zero == 0 && zero.sign == .minus)
  }

  @Test func booleans() throws {
    #expect(try TOML.value("v = true") == .bool(true))
    #expect(try TOML.value("v = false") == .bool(false))
  }

  @Test(arguments: [
    ("01", "leading zeros"), ("-01", "leading zeros"), ("00", "leading zeros"), ("1__0", "underscore"),
    ("_1", "unquoted text"), ("1_", "underscore"), ("+0x1", "cannot have a sign"), ("-0b1", "cannot have a sign"),
    ("0x", "valid number"), ("0X1F", "valid number"), ("0xG", "base-16"), ("0o8", "base-8"), ("0b2", "base-2"),
    ("0x_1", "underscore"), ("9223372036854775808", "integers must be"), ("-9223372036854775809", "integers must be"),
    ("0x8000000000000000", "at most"), ("1.", "both sides"), (".5", "expected a value"), ("1.e5", "both sides"),
    ("1e", "exponent"), ("1e_5", "exponent"), ("1_.0", "underscore"), ("1._0", "both sides"),
    ("03.14", "leading zeros"),
    ("1.0.0", "valid number"), ("inf1", "unquoted text"), ("infinity", "unquoted text"), ("NaN", "unquoted text"),
    ("TRUE", "unquoted text"), ("truey", "expected a line break"), ("+", "valid number"),
    ("1 2", "expected a line break"),
  ])
  func invalidNumbers(_ text: String, _ fragment: String) throws {
    let error = try #require(TOML.error("v = \(text)"), "\(text)")
    #expect(error.message.contains(fragment), "\(text): \(error)")
    #expect(error.line == 1)
  }
}
