import Foundation
import SourcekeepTestSupport
import Testing

/// `sourcekeep` caps glibc's malloc arenas at two unless the environment chose a cap
/// (SKSystem.MallocArenas; docs/performance.md#glibcs-arenas). glibc fixes its cap once per
/// process, so each case is a fresh process: `malloc-arena-probe` calls what `main` calls,
/// then eight threads allocate at once and it prints how many arenas there are.
@Suite struct MallocArenaTests {
  func arenas(_ mode: String, environment: [String: String] = [:]) throws -> Int? {
    let probe = try CommandRunner.require(CommandRunner.builtExecutable("malloc-arena-probe"))
    var env = ProcessInfo.processInfo.environment
    for key in ["MALLOC_ARENA_MAX", "GLIBC_TUNABLES"] { env.removeValue(forKey: key) }
    env.merge(environment) { _, new in new }
    let result = try CommandRunner.run(executable: probe, [mode, "8"], environment: env)
    #expect(result.status == 0, "\(result.stderr)")
    return Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
  }

  @Test func eightThreadsShareTwoArenas() throws {
    // Without the cap glibc gives each of the eight threads its own arena (up to 8 per core).
    #expect(try arenas("default") == 9)
    #expect(try arenas("limit") == 2)
  }

  @Test func theOperatorsSettingWins() throws {
    #expect(try arenas("limit", environment: ["MALLOC_ARENA_MAX": "3"]) == 3)
    #expect(try arenas("limit", environment: ["GLIBC_TUNABLES": "glibc.malloc.arena_max=4"]) == 4)
  }
}
