import Foundation

/// Runs the built `sourcekeep` binary as a subprocess, the way a user does, and captures
/// its exit code and output (docs/architecture.md#tests: CLI tests start the real binary).
public struct CommandRunner: Sendable {
  public struct Result: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
  }

  /// The debug binary built by `swift build` (what `swift test` runs against).
  public static let binary: String = {
    let root = SharedFixtures.repositoryRoot
    for candidate in [".build/debug/sourcekeep", ".build/release/sourcekeep"] {
      let path = root.appendingPathComponent(candidate).path
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return root.appendingPathComponent(".build/debug/sourcekeep").path
  }()

  public var workingDirectory: String
  public var environment: [String: String]

  public init(workingDirectory: String, environment: [String: String] = [:]) {
    self.workingDirectory = workingDirectory
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "SOURCEKEEP_CONFIG")
    env.merge(environment) { _, new in new }
    self.environment = env
  }

  /// Runs `sourcekeep ARGS…` to completion.
  public func run(_ arguments: [String]) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Self.binary)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory)
    process.environment = environment
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Read both pipes before waiting, so a chatty child never blocks on a full pipe.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }
}
