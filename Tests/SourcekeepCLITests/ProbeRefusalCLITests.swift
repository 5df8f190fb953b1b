import Foundation
import SourcekeepCore
import SourcekeepTestSupport
import Testing

/// `probe` says what happened to a loopback URL (issue #19, docs/design.md#probe): which
/// address the guard refused, why and which key allows it; a refused connection is `refused`,
/// not a policy refusal.
@Suite struct ProbeRefusalCLITests {
  func run(allowlist: String) -> (TempDirectory, CommandRunner) {
    let tmp = TempDirectory(prefix: "sk-probe-refusal")
    tmp.write("sourcekeep.toml", "[fetch]\nretries = 0\nprivate_allowlist = [\(allowlist)]\n")
    return (tmp, CommandRunner(workingDirectory: tmp.path))
  }

  @Test func aRefusedAddressIsNamedWithTheKeyThatAllowsIt() throws {
    let server = try FixtureServer()
    defer { server.stop() }
    let (tmp, run) = run(allowlist: "\"10.0.0.0/8\"")
    defer { withExtendedLifetime(tmp) {} }
    let probe = try run.run(["probe", server.url("/ok")])
    #expect(probe.status == 0, "\(probe.stderr)")
    #expect(probe.stdout.contains("excluded/private-network"), "\(probe.stdout)")
    #expect(probe.stdout.contains("address 127.0.0.1"), "\(probe.stdout)")
    #expect(probe.stdout.contains("not in fetch.private_allowlist [10.0.0.0/8]"), "\(probe.stdout)")
    #expect(probe.stdout.contains("Add \"127.0.0.1\" to fetch.private_allowlist"), "\(probe.stdout)")
    #expect(probe.stdout.contains("fetch.allow_private_networks = true"))
  }

  @Test func aClosedPortBehindAnAllowlistIsRefusedNotExcluded() throws {
    // A port nothing listens on any more: the fixture server's, once stopped.
    let server = try FixtureServer()
    let url = server.url("/ok").replacingOccurrences(of: "127.0.0.1", with: "localhost")
    server.stop()
    let (tmp, run) = run(allowlist: "\"127.0.0.0/8\"")
    defer { withExtendedLifetime(tmp) {} }
    // localhost is ::1 and 127.0.0.1: ::1 is not allowlisted, 127.0.0.1 refuses the connection.
    let probe = try run.run(["probe", url, "--json"])
    let result = try #require(JSONValue.parse(probe.stdout), "\(probe.stdout)\(probe.stderr)")
    #expect(result["status"] == "unreachable" && result["reason"] == "refused", "\(probe.stdout)")
  }
}
