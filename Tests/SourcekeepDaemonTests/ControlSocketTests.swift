import Foundation
import SKSystem
import SourcekeepCore
import SourcekeepTestSupport
import Testing

/// The control socket under idle, crowding and foreign clients (issue #13, Medium 9): idle
/// connections hold no thread and are dropped after the request deadline, connections past the
/// cap are refused with a message, and a peer that is neither root nor the daemon's user is
/// refused whatever the socket file's mode.
@Suite(.serialized) struct ControlSocketTests {
  func startedDaemon() throws -> DaemonHarness {
    let h = try DaemonHarness()
    try h.start()
    #expect(
      DaemonHarness.wait(timeout: 60) { h.notify.count("READY=1") >= 1 }, "READY=1 never arrived: \(h.daemonStderr)")
    return h
  }

  /// Reads what the daemon sends on `fd` until it hangs up (`closed`) or `timeout` passes.
  func readToEnd(_ fd: Int32, timeout: Double) -> (text: String, closed: Bool) {
    var bytes: [UInt8] = []
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      guard let chunk = UnixSocket.receive(fd, timeout: 0.5) else { continue }
      if chunk.isEmpty { return (String(decoding: bytes, as: UTF8.self), true) }
      bytes += chunk
    }
    return (String(decoding: bytes, as: UTF8.self), false)
  }

  @Test func idleClientsDoNotStarveStatusAndAreDroppedAfterTheDeadline() throws {
    let h = try startedDaemon()
    defer { h.cleanUp() }
    let socket = h.store + "/control.sock"
    let idle = (0..<40).compactMap { _ in try? UnixSocket.connect(socket) }
    defer { idle.forEach(UnixSocket.close) }
    #expect(idle.count == 40)
    let status = try h.cli(["status", "--json"])
    #expect(status.status == 0, "\(status.stderr)")
    #expect(status.stdout.contains("\"daemon\""), "status came from the daemon: \(status.stdout)")
    // Past the request deadline every idle client has been hung up on, without a reply.
    for fd in idle.prefix(3) {
      let end = readToEnd(fd, timeout: 30)
      #expect(end.closed && end.text.isEmpty, "\(end)")
    }
    #expect(try h.cli(["status"]).status == 0)
  }

  @Test func connectionsPastTheCapAreRefusedWithAMessage() throws {
    let h = try startedDaemon()
    defer { h.cleanUp() }
    let socket = h.store + "/control.sock"
    let crowd = (0..<70).compactMap { _ in try? UnixSocket.connect(socket) }
    defer { crowd.forEach(UnixSocket.close) }
    #expect(crowd.count == 70)
    let refused = crowd.suffix(6).map { readToEnd($0, timeout: 5) }
    for reply in refused {
      #expect(reply.closed && reply.text.contains("too many control connections"), "\(reply)")
    }
    // The ones inside the cap are still open, waiting for their request line.
    #expect(!readToEnd(crowd[0], timeout: 1).closed)
  }

  @Test(.enabled(if: getuid() == 0, "needs root to act as another user; CI runs as root"))
  func aPeerThatIsNeitherRootNorTheDaemonsUserIsRefused() throws {
    let h = try startedDaemon()
    defer { h.cleanUp() }
    let socket = h.store + "/control.sock"
    // Open the file to everyone: the peer check must hold on its own.
    try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: socket)
    let binary = h.dir + "/sourcekeep"
    try FileManager.default.copyItem(atPath: try CommandRunner.requireBinary(), toPath: binary)
    var environment = ProcessInfo.processInfo.environment
    environment["HOME"] = h.dir
    let nobody = try CommandRunner.run(
      executable: "/usr/bin/setpriv",
      [
        "--reuid=65534", "--regid=65534", "--clear-groups", binary, "ingest", "now", "--no-capture",
        "--config", h.configPath,
      ],
      in: h.dir, environment: environment)
    #expect(nobody.status == 1, "\(nobody.stdout)\(nobody.stderr)")
    #expect(nobody.stderr.contains("serves root and the daemon's own user only"), "\(nobody.stderr)")
    #expect(
      h.events("run.start").allSatisfy {
        $0["command"]?.stringValue != "ingest" || $0["reason"]?.stringValue != "control"
      })
  }

  /// `ingest now --digest PATH` forwarded to a daemon that cannot read PATH (its sandbox hides
  /// the folder) is refused with why and what to do, exit 65, and nothing runs.
  @Test func aDigestPathTheDaemonCannotReadIsRefusedWithWhy() throws {
    let h = try startedDaemon()
    defer { h.cleanUp() }
    let fd = try UnixSocket.connect(h.store + "/control.sock")
    defer { UnixSocket.close(fd) }
    let hidden = "/home/someone/today.md"
    #expect(UnixSocket.writeAll(fd, Array("{\"v\":1,\"command\":\"ingest\",\"digests\":[\"\(hidden)\"]}\n".utf8)))
    let reply = readToEnd(fd, timeout: 10)
    #expect(reply.closed)
    #expect(reply.text.contains("\"type\":\"error\""), "\(reply.text)")
    #expect(reply.text.contains("\"exit\":65"), "\(reply.text)")
    #expect(reply.text.contains(hidden) && reply.text.contains("ProtectHome"), "\(reply.text)")
    #expect(!h.events("run.start").contains { $0["reason"]?.stringValue == "control" })
  }
}
