import Foundation
import SourcekeepTestSupport
import Testing

@testable import SourcekeepCore

@Suite struct ConfigTests {
  let file = ConfigFile()
  var dir: TempDirectory { file.dir }
  func load(_ toml: String) throws(ConfigError) -> LoadedConfig { try file.load(toml) }
  func problem(_ toml: String) -> ConfigError? { file.problem(toml) }

  @Test func everyContractKeyHasItsDefault() throws {
    let loaded = try load("")
    let c = loaded.config
    #expect(c.fetch.concurrency == 16)
    #expect(c.fetch.perHostConcurrency == 2)
    #expect(c.fetch.perHostIntervalMs == 500)
    #expect(c.fetch.connectTimeoutS == 10)
    #expect(c.fetch.timeoutS == 30)
    #expect(c.fetch.maxBodyMB == 20)
    #expect(c.fetch.maxRedirects == 10)
    #expect(c.fetch.retries == 2)
    #expect(c.fetch.allowPrivateNetworks == false)
    #expect(c.fetch.privateAllowlist == [])
    #expect(c.fetch.proxy == "")
    #expect(c.health.recheckInterval.seconds == 86400)
    #expect(c.health.deadAfterFailures == 3)
    #expect(c.health.deadAfter.seconds == 72 * 3600)
    #expect(c.health.driftThreshold == 0.5)
    #expect(c.health.revisitEvery.seconds == 30 * 86400)
    #expect(c.schedule.ingestEvery.seconds == 900)
    #expect(c.schedule.checkEvery.seconds == 3600)
    #expect(c.storage.dir == dir.path + "/sourcekeep-data")
    #expect(c.digests.paths == [dir.path + "/digests"])
    #expect(loaded.keysFromFile.isEmpty)
  }

  @Test func documentedDefaultFileListsEveryKeyWithItsDefaultValue() throws {
    let shipped = SharedRepo.url("config/sourcekeep.toml")
    let loaded = try ConfigLoader.load(flag: shipped.path, environment: [:])
    let expectedKeys = Set(ConfigKeys.all.map(\.key))
    #expect(loaded.keysFromFile == expectedKeys)
    var defaults = Config()
    defaults.digests.paths = loaded.config.digests.paths
    defaults.storage.dir = loaded.config.storage.dir
    #expect(loaded.config == defaults)
  }

  @Test func valuesDurationsAndRelativePathsAreRead() throws {
    let c = try load(
      """
      [digests]
      paths = ["in", "/abs/digests"]
      [storage]
      dir = "../data"
      [fetch]
      concurrency = 64
      private_allowlist = ["127.0.0.2", "10.0.0.0/8", "fd00::/8"]
      allow_private_networks = true
      [health]
      recheck_interval = "90s"
      dead_after = "7d"
      drift_threshold = 1
      revisit_every = "0s"
      [schedule]
      ingest_every = "1h30m"
      """
    ).config
    #expect(c.digests.paths == [dir.path + "/in", "/abs/digests"])
    #expect(c.storage.dir == (dir.path as NSString).deletingLastPathComponent + "/data")
    #expect(c.fetch.concurrency == 64)
    #expect(c.fetch.privateAllowlist.count == 3)
    #expect(c.health.recheckInterval.seconds == 90)
    #expect(c.health.deadAfter.seconds == 7 * 86400)
    #expect(c.health.driftThreshold == 1.0)
    #expect(c.health.revisitEvery.seconds == 0)
    #expect(c.schedule.ingestEvery.seconds == 5400)
  }

  @Test func unknownKeyIsAnErrorNamingFileKeyAndAllowedKeys() {
    let error = problem("[fetch]\nconcurency = 4\n")
    #expect(error?.key == "fetch.concurency")
    #expect(error?.file == dir.path + "/sourcekeep.toml")
    #expect(error?.description.contains("per_host_concurrency") == true)
    #expect(problem("[fetcher]\nx = 1\n")?.key == "fetcher")
  }

  @Test func badDurationWrongTypeAndOutOfRangeNameTheKeyAndTheAllowedValues() {
    let duration = problem("[health]\nrecheck_interval = \"soon\"\n")
    #expect(duration?.key == "health.recheck_interval")
    #expect(duration?.description.contains("\"24h\"") == true)
    #expect(problem("[health]\nrecheck_interval = 86400\n")?.key == "health.recheck_interval")
    for bad in ["\"-1d\"", "\"monthly\"", "30"] {
      let revisit = problem("[health]\nrevisit_every = \(bad)\n")
      #expect(revisit?.key == "health.revisit_every", "\(bad)")
      #expect(revisit?.description.contains("a duration such as") == true, "\(revisit?.description ?? "")")
    }
    let type = problem("[fetch]\nconcurrency = \"many\"\n")
    #expect(type?.key == "fetch.concurrency")
    #expect(type?.description.contains("must be an integer") == true)
    let range = problem("[fetch]\nconcurrency = 0\n")
    #expect(range?.description.contains("from 1 to 1024") == true)
    #expect(problem("[health]\ndrift_threshold = 1.5\n")?.key == "health.drift_threshold")
    #expect(problem("[fetch]\nprivate_allowlist = [\"10.0.0.0/33\"]\n")?.key == "fetch.private_allowlist")
    #expect(problem("[fetch]\nproxy = \"socks5://x\"\n")?.key == "fetch.proxy")
    #expect(problem("[fetch]\nallow_private_networks = \"yes\"\n")?.key == "fetch.allow_private_networks")
    #expect(problem("[digests]\npaths = \"digests\"\n")?.key == "digests.paths")
  }

  @Test func invalidTOMLNamesTheLine() {
    let error = problem("[fetch]\nconcurrency = = 3\n")
    #expect(error?.key == nil)
    #expect(error?.description.contains("line 2") == true)
  }

  @Test func lookupOrderIsFlagThenEnvironmentThenSystemFileThenDefaults() {
    let system = dir.write("etc.toml", "")
    #expect(
      ConfigLoader.locate(flag: "/a.toml", environment: ["SOURCEKEEP_CONFIG": "/b.toml"], systemPath: system)
        == .flag("/a.toml"))
    #expect(
      ConfigLoader.locate(flag: nil, environment: ["SOURCEKEEP_CONFIG": "/b.toml"], systemPath: system)
        == .environment("/b.toml"))
    #expect(ConfigLoader.locate(flag: nil, environment: [:], systemPath: system) == .system(system))
    #expect(ConfigLoader.locate(flag: nil, environment: [:], systemPath: dir.path + "/none.toml") == .defaults)
    // ./sourcekeep.toml comes after $SOURCEKEEP_CONFIG and before the system file.
    let work = TempDirectory()
    let local = work.write("sourcekeep.toml", "")
    #expect(
      ConfigLoader.locate(flag: nil, environment: [:], systemPath: system, workingDirectory: work.path)
        == .workingDirectory(local))
    #expect(
      ConfigLoader.locate(
        flag: nil, environment: ["SOURCEKEEP_CONFIG": "/b.toml"], systemPath: system, workingDirectory: work.path)
        == .environment("/b.toml"))
  }

  @Test func missingConfigFileIsAnErrorNamingIt() {
    do {
      _ = try ConfigLoader.load(flag: dir.path + "/nope.toml", environment: [:])
      Issue.record("expected an error")
    } catch {
      #expect(error.file == dir.path + "/nope.toml")
    }
  }

  @Test func durationsParseAndPrintBack() {
    #expect(ConfigDuration(parsing: "90s")?.seconds == 90)
    #expect(ConfigDuration(parsing: "15m")?.seconds == 900)
    #expect(ConfigDuration(parsing: "24h")?.seconds == 86400)
    #expect(ConfigDuration(parsing: "7d")?.seconds == 604_800)
    #expect(ConfigDuration(parsing: "1h30m")?.seconds == 5400)
    for bad in ["", "10", "h", "5x", "-5m", "1.5h", "99999999999999999999d"] {
      #expect(ConfigDuration(parsing: bad) == nil, "\(bad) should not parse")
    }
    #expect(ConfigDuration(seconds: 5400).description == "1h30m")
    #expect(ConfigDuration(seconds: 90).description == "1m30s")
    #expect(ConfigDuration(seconds: 604_800).description == "7d")
  }

  @Test func effectiveConfigMarksWhereEachValueCameFromAndReloadsToTheSameConfig() throws {
    let loaded = try load("[fetch]\nretries = 5\n")
    let text = EffectiveConfig.render(loaded)
    #expect(text.contains("retries = 5"))
    #expect(text.contains("# from file"))
    #expect(text.contains("concurrency = 16"))
    let again = try ConfigLoader.parse(text, file: dir.path + "/again.toml")
    #expect(again.config == loaded.config)
  }

  @Test func addressBlocksParseAndMatch() throws {
    // The config validates fetch.private_allowlist with the fetcher's own CIDRBlock.
    let block = try #require(CIDRBlock("10.0.0.0/8"))
    #expect(block.contains(IPAddress("10.200.1.1")!))
    #expect(!block.contains(IPAddress("11.0.0.1")!))
    let v6 = try #require(CIDRBlock("fd00::/8"))
    #expect(v6.contains(IPAddress("fd12::1")!))
    #expect(CIDRBlock("127.0.0.2")?.prefixLength == 32)
    #expect(CIDRBlock("300.1.1.1") == nil)
    #expect(CIDRBlock("1.2.3.4/") == nil)
  }

}

/// Files of this repository (the shipped config, the seed copy in examples/).
enum SharedRepo {
  static func url(_ relative: String) -> URL {
    var url = URL(fileURLWithPath: #filePath)
    while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
      url.deleteLastPathComponent()
    }
    return url.appendingPathComponent(relative)
  }
}
