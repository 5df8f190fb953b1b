import Foundation

/// Runs an external checker (warcio, …) found on `$PATH` and returns its exit status and output.
public enum ExternalTool {
  public struct Result: Sendable {
    public var status: Int32
    public var output: String
  }

  /// The tool's path on `$PATH`, or nil.
  public static func find(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    let venv = TestFixtures.repositoryRoot.appendingPathComponent(".venv/bin").path
    for dir in [venv] + path.split(separator: ":").map(String.init) {
      let candidate = dir + "/" + name
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  /// Runs `name args…`; a missing tool is a failure with a message saying how to get it.
  public static func run(_ name: String, _ arguments: [String]) throws -> Result {
    guard let path = find(name) else {
      return Result(status: 127, output: "\(name) not found on PATH or in .venv/bin: run `make test-deps`")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
  }
}
