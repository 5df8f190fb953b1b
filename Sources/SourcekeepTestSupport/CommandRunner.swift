import Foundation
import Synchronization

/// Runs the built `sourcekeep` binary as a subprocess, the way a user does, and captures
/// its exit code and output (docs/architecture.md#tests: CLI tests start the real binary).
public struct CommandRunner: Sendable {
  public struct Result: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
  }

  /// The binary under test is not built: say so instead of running something else.
  public struct MissingBinary: Error, CustomStringConvertible {
    public var path: String
    public init(path: String) { self.path = path }
    public var description: String {
      "the sourcekeep binary under test is missing at \(path): build it first (`swift build --build-tests`)"
    }
  }

  /// The `sourcekeep` built beside the test bundle (what `swift build --build-tests` makes
  /// with the tests), else `.build/debug/sourcekeep`. Never another configuration's build:
  /// a stale release binary would test old code.
  public static let binary: String = builtExecutable("sourcekeep")

  /// The package's executable `name` from the same build as the tests (see `binary`).
  public static func builtExecutable(_ name: String) -> String {
    let runner = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
    var dir = runner.deletingLastPathComponent()
    // The test bundle may be a directory (…/sourcekeepPackageTests.xctest/Contents/MacOS/…).
    while dir.path != "/" && dir.pathExtension != "" { dir.deleteLastPathComponent() }
    for candidate in [dir, dir.deletingLastPathComponent()] {
      let path = candidate.appendingPathComponent(name).path
      if candidate.path.contains("/.build/"), FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return TestFixtures.repositoryRoot.appendingPathComponent(".build/debug/" + name).path
  }

  /// `binary`, or `MissingBinary` when it is not there.
  public static func requireBinary() throws -> String { try require(binary) }

  /// `path`, or `MissingBinary` when no executable file is there.
  public static func require(_ path: String) throws -> String {
    guard FileManager.default.isExecutableFile(atPath: path) else { throw MissingBinary(path: path) }
    return path
  }

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
  /// - Throws: `MissingBinary` when the binary is not built; whatever `Process.run` throws.
  public func run(_ arguments: [String]) throws -> Result {
    try Self.run(executable: try Self.requireBinary(), arguments, in: workingDirectory, environment: environment)
  }

  /// Runs any program to completion, reading its stdout and stderr at the same time (a
  /// child that fills one pipe while the other is being read to its end never blocks).
  public static func run(
    executable: String, _ arguments: [String], in directory: String? = nil, environment: [String: String]? = nil
  ) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    if let environment { process.environment = environment }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let errReader = err.fileHandleForReading
    let errData = DataBox()
    let done = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      errData.set(errReader.readDataToEndOfFile())
      done.signal()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    done.wait()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData.value, as: UTF8.self))
  }
}

/// One `Data` handed from the stderr reader to the caller.
private final class DataBox: Sendable {
  private let data = Mutex(Data())
  func set(_ value: Data) { data.withLock { $0 = value } }
  var value: Data { data.withLock { $0 } }
}
