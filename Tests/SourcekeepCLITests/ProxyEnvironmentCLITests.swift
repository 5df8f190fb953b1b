import Foundation
import SourcekeepCore
import SourcekeepTestSupport
import Testing

/// The environment's proxy variables are used only with `fetch.proxy = "env"` (issue #13,
/// High 1): libcurl reads them by default, which put requests through a proxy the config
/// never named, out of the guard's sight.
@Suite struct ProxyEnvironmentCLITests {
  @Test func proxyVariablesAreIgnoredUnlessTheConfigSaysEnv() throws {
    let dir = NSTemporaryDirectory() + "sk-proxyenv-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let origin = try FixtureServer(addresses: ["127.0.0.3"])
    defer { origin.stop() }
    let proxy = try ForwardingProxy(address: "127.0.0.2")
    defer { proxy.stop() }
    let open = "[fetch]\nallow_private_networks = true\nretries = 0\n"
    try open.write(toFile: dir + "/none.toml", atomically: true, encoding: .utf8)
    try (open + "proxy = \"env\"\n").write(toFile: dir + "/env.toml", atomically: true, encoding: .utf8)
    let strict = "[fetch]\nretries = 0\nproxy = \"env\"\nprivate_allowlist = [\"127.0.0.2\", \"127.0.0.3\"]\n"
    try strict.write(toFile: dir + "/strict.toml", atomically: true, encoding: .utf8)
    let runner = CommandRunner(
      workingDirectory: dir, environment: ["http_proxy": proxy.url, "all_proxy": proxy.url, "no_proxy": ""])

    let direct = try runner.run(["probe", origin.url("/ok"), "--json", "--config", "none.toml"])
    #expect(JSONValue.parse(direct.stdout)?["status"] == "ok", "\(direct.stdout)\(direct.stderr)")
    #expect(proxy.targets.isEmpty)
    #expect(origin.requestLog.count == 1)

    let viaEnv = try runner.run(["probe", origin.url("/ok?2"), "--json", "--config", "env.toml"])
    #expect(JSONValue.parse(viaEnv.stdout)?["status"] == "ok", "\(viaEnv.stdout)\(viaEnv.stderr)")
    #expect(proxy.targets == [origin.url("/ok?2")])

    // Through the environment's proxy the target is still checked before it is sent.
    let hostile = try runner.run(["probe", "http://0x7f.1:\(origin.ports[0])/ok", "--json", "--config", "strict.toml"])
    #expect(JSONValue.parse(hostile.stdout)?["status"] == "excluded", "\(hostile.stdout)\(hostile.stderr)")
    #expect(proxy.targets.count == 1)
  }

  @Test func configCheckAcceptsEnvAndNamesTheKeyForAnythingElse() throws {
    let env = try ConfigLoader.parse("[fetch]\nproxy = \"env\"\n", file: "/tmp/x.toml")
    #expect(env.config.fetch.proxy == "env")
    do {
      _ = try ConfigLoader.parse("[fetch]\nproxy = \"environment\"\n", file: "/tmp/x.toml")
      Issue.record("\"environment\" was accepted")
    } catch {
      #expect(error.key == "fetch.proxy")
      #expect(error.message.contains("\"env\""))
    }
  }
}
