import Foundation
import Testing

/// Package.swift's promise, checked: outside the wrapper targets no Swift code touches a raw
/// pointer or makes the POSIX calls SKSystem wraps (whole words; doc comments may name them).
@Suite struct BoundaryTests {
  static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")

  static let forbidden = [
    "UnsafeRawPointer", "UnsafeMutablePointer", "UnsafePointer", "OpaquePointer", "withUnsafe", "import Glibc",
    "Glibc.", "errno", "strerror(", "flock(", "pread(", "pwrite(", "ftruncate(", "gmtime_r(", "timegm(",
    "inotify_", "sockaddr", "socket(", "clock_gettime(", "fcntl(", "unlink(", "stat(",
  ]

  /// Each token as a pattern that matches it only at the start of a word (`spread(` is fine).
  static let patterns = forbidden.map { ($0, "\\b" + NSRegularExpression.escapedPattern(for: $0)) }

  @Test(arguments: ["SourcekeepCore", "SourcekeepApp", "SourcekeepDaemon", "sourcekeep"])
  func noPointersOrWrappedPOSIXCallsIn(_ target: String) throws {
    let root = Self.sources.appendingPathComponent(target)
    let files = try #require(FileManager.default.enumerator(atPath: root.path)).compactMap { $0 as? String }
      .filter { $0.hasSuffix(".swift") }
    #expect(!files.isEmpty)
    for file in files {
      let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
      for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        let code = line.trimmingCharacters(in: .whitespaces)
        if code.hasPrefix("//") { continue }
        for (token, pattern) in Self.patterns
        where code.contains(token) && code.range(of: pattern, options: .regularExpression) != nil {
          Issue.record("\(target)/\(file):\(number + 1) uses \(token): move it into SKSystem")
        }
      }
    }
  }
}
