import Foundation
import SourcekeepTestSupport
import Testing

/// `sudo sourcekeep ingest now` on a store that belongs to the service user (issue #13,
/// Medium 8): refused naming the owner, and nothing root-owned is left in the store.
@Suite struct ForeignStoreCLITests {
  let tmp = TempDirectory(prefix: "sk-foreign")

  @Test(.enabled(if: getuid() == 0, "only root can write someone else's store; CI runs as root"))
  func rootIsRefusedOnAStoreOwnedBySomeoneElse() throws {
    let digests = tmp.path + "/digests"
    try FileManager.default.createDirectory(atPath: digests, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      atPath: TestFixtures.exampleDigest("2026-02-17.md").path, toPath: digests + "/2026-02-17.md")
    let store = tmp.path + "/data"
    try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: true)
    try FileManager.default.setAttributes([.ownerAccountID: 65534, .groupOwnerAccountID: 65534], ofItemAtPath: store)
    try "[digests]\npaths = [\"digests\"]\n[storage]\ndir = \"data\"\n".write(
      toFile: tmp.path + "/sourcekeep.toml", atomically: true, encoding: .utf8)
    let runner = CommandRunner(workingDirectory: tmp.path)

    let refused = try runner.run(["ingest", "now", "--no-capture", "--config", "sourcekeep.toml"])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains(store))
    #expect(refused.stderr.contains("belongs to"))
    #expect(refused.stderr.contains("65534") || refused.stderr.contains("nobody"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: store).isEmpty)

    // The same store owned by root is root's to write.
    try FileManager.default.setAttributes([.ownerAccountID: 0, .groupOwnerAccountID: 0], ofItemAtPath: store)
    let ok = try runner.run(["ingest", "now", "--no-capture", "--config", "sourcekeep.toml"])
    #expect(ok.status == 0, "\(ok.stderr)")
  }
}
