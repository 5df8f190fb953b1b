import Foundation
import SKSystem
import SourcekeepCore
import SourcekeepDaemon
import SourcekeepTestSupport
import Synchronization

/// A test-owned stand-in for systemd's notify socket: a bound Unix datagram socket read on a
/// Dispatch thread (never the cooperative pool, which other tests' blocking waits starve).
final class NotifyListener: Sendable {
  let path: String
  private let fd: Int32
  private let received = Mutex<[(at: Date, text: String)]>([])
  private let open = Atomic(true)
  /// Called on the reading thread with each datagram as it arrives, as systemd would act on it
  /// (a stop request right after READY=1), without the 100 ms polling of `DaemonHarness.wait`.
  private let reaction = Mutex<(@Sendable (String) -> Void)?>(nil)

  init(path: String) throws {
    self.path = path
    fd = try UnixSocket.bindDatagram(path)
    let fd = self.fd
    DispatchQueue.global().async { [self] in
      while open.load(ordering: .acquiring) {
        if let bytes = UnixSocket.receive(fd, timeout: 0.2) {
          let text = String(decoding: bytes, as: UTF8.self)
          received.withLock { $0.append((Date(), text)) }
          reaction.withLock { $0 }?(text)
        }
      }
    }
  }

  /// Calls `react` with every datagram from now on, the moment it arrives.
  func onMessage(_ react: @escaping @Sendable (String) -> Void) { reaction.withLock { $0 = react } }

  /// Every datagram so far, oldest first.
  var messages: [(at: Date, text: String)] { received.withLock { $0 } }

  /// Datagrams containing the assignment `line` (such as `READY=1`).
  func count(_ line: String, after: Date = .distantPast) -> Int {
    messages.filter { $0.at >= after && $0.text.split(separator: "\n").contains(Substring(line)) }.count
  }

  func close() {
    open.store(false, ordering: .releasing)
    Thread.sleep(forTimeInterval: 0.3)
    UnixSocket.close(fd)
    unlink(path)
  }
}

/// A temporary store with a digest folder, a config file and (optionally) a running daemon.
final class DaemonHarness: @unchecked Sendable {
  // Used from one test at a time; `process` is set once by `start`.
  let dir: String
  let notify: NotifyListener
  private(set) var process: Process?

  var configPath: String { dir + "/sourcekeep.toml" }
  var digests: String { dir + "/digests" }
  var store: String { dir + "/data" }
  var journal: JournalReader { JournalReader(directory: store + "/journal") }
  var stderrPath: String { dir + "/daemon-stderr.txt" }

  /// A short path: Unix socket paths are limited to 107 bytes.
  init(config extra: String = "") throws {
    dir = "/tmp/skd-" + UUID().uuidString.prefix(8).lowercased()
    try FileManager.default.createDirectory(atPath: dir + "/digests", withIntermediateDirectories: true)
    notify = try NotifyListener(path: dir + "/notify.sock")
    try writeConfig(extra)
  }

  func writeConfig(_ extra: String) throws {
    try LoopbackConfig.toml(extra: extra).write(toFile: configPath, atomically: true, encoding: .utf8)
  }

  /// Starts `sourcekeep run` with the test's notify socket.
  @discardableResult
  func start(environment: [String: String] = [:]) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CommandRunner.binary)
    process.arguments = ["run", "--config", configPath]
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "SOURCEKEEP_CONFIG")
    env["NOTIFY_SOCKET"] = notify.path
    // As systemd sets it for a service whose stderr goes to journald: `<N>` prefixes on.
    env["JOURNAL_STREAM"] = "8:4242"
    env.merge(environment) { _, new in new }
    process.environment = env
    _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle(forWritingAtPath: stderrPath)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    self.process = process
    return process
  }

  var daemonStderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

  /// Runs a CLI command against this store.
  func cli(_ arguments: [String]) throws -> CommandRunner.Result {
    try CommandRunner(workingDirectory: dir).run(arguments + ["--config", configPath])
  }

  /// Journal events named `event`.
  func events(_ event: String) -> [JSONValue] {
    journal.lines().filter { $0.event == event }.compactMap(\.value)
  }

  /// Sends `signal` and waits (blocking) up to `timeout` seconds for the exit.
  /// - Returns: the exit status and the seconds it took, nil on timeout.
  func signal(_ signal: Int32, timeout: Double = 20) -> (status: Int32, seconds: Double)? {
    guard let process else { return nil }
    let started = Date()
    kill(process.processIdentifier, signal)
    guard Self.wait(timeout: timeout, { !process.isRunning }) else { return nil }
    process.waitUntilExit()
    return (process.terminationStatus, Date().timeIntervalSince(started))
  }

  /// Polls `condition` every 100 ms on this thread (a blocking wait, not `Task.sleep`).
  static func wait(timeout: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if condition() { return true }
      Thread.sleep(forTimeInterval: 0.1)
    }
    return condition()
  }

  /// Stops a daemon still running (SIGKILL) and removes the folder.
  func cleanUp() {
    if let process, process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
    notify.close()
    try? FileManager.default.removeItem(atPath: dir)
  }
}
