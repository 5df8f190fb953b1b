import Foundation
import SourcekeepTestSupport
import Testing

/// `sourcekeep` caps glibc's malloc arenas at one per busy thread (the cores plus two; two for
/// the daemon) unless the environment chose a cap, and a run hands its arenas' free pages back every few thousand
/// links (SKSystem.MallocArenas; docs/performance.md#glibcs-arenas). glibc fixes its cap once
/// per process, so each case is a fresh process: `malloc-arena-probe` calls what `main` calls,
/// then eight threads allocate at once and it prints how many arenas there are.
@Suite struct MallocArenaTests {
  func probe(_ arguments: [String], environment: [String: String] = [:]) throws -> String {
    let probe = try CommandRunner.require(CommandRunner.builtExecutable("malloc-arena-probe"))
    var env = ProcessInfo.processInfo.environment
    for key in ["MALLOC_ARENA_MAX", "GLIBC_TUNABLES"] { env.removeValue(forKey: key) }
    env.merge(environment) { _, new in new }
    let result = try CommandRunner.run(executable: probe, arguments, environment: env)
    #expect(result.status == 0, "\(result.stderr)")
    return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  func arenas(
    _ mode: String, processors: Int? = nil, daemon: Bool = false, environment: [String: String] = [:]
  ) throws -> Int? {
    let extra = (processors.map { [String($0)] } ?? []) + (daemon ? ["daemon"] : [])
    return Int(try probe([mode, "8"] + extra, environment: environment))
  }

  @Test func eightThreadsShareOneArenaPerCoreAndTwoMore() throws {
    // Without the cap glibc gives each of the eight threads its own arena (up to 8 per core).
    #expect(try arenas("default") == 9)
    #expect(try arenas("limit", processors: 2) == 4)
    #expect(try arenas("limit", processors: 1) == 3)
    #expect(try arenas("limit", processors: 5) == 7)
  }

  @Test func theDaemonKeepsTwo() throws {
    #expect(try arenas("limit", processors: 2, daemon: true) == 2)
    #expect(try arenas("limit", processors: 6, daemon: true) == 2)
    #expect(try arenas("limit", processors: 6, daemon: true, environment: ["MALLOC_ARENA_MAX": "4"]) == 4)
  }

  @Test func theOperatorsSettingWins() throws {
    #expect(try arenas("limit", processors: 2, environment: ["MALLOC_ARENA_MAX": "3"]) == 3)
    #expect(try arenas("limit", processors: 2, environment: ["GLIBC_TUNABLES": "glibc.malloc.arena_max=5"]) == 5)
  }

  @Test func trimHandsTheFreePagesBetweenLiveBlocksBack() throws {
    // Four threads free 15 of every 16 KiB-blocks of 64 MiB each: about 240 MB of free pages
    // between live blocks, which glibc keeps until it is asked.
    let fields = try probe(["trim", "4"]).split(separator: " ").compactMap { Int($0) }
    try #require(fields.count == 3)
    let (before, after, live) = (fields[0], fields[1], fields[2])
    #expect(live == 4 * 4_096)
    #expect(before > 200_000, "RssAnon before the trim: \(before) KiB")
    #expect(after < before - 150_000, "RssAnon \(before) KiB before the trim, \(after) KiB after")
  }
}
