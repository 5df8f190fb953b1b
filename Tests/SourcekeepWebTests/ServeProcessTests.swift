import Foundation
import SourcekeepCore
import SourcekeepTestSupport
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `sourcekeep serve` and `sourcekeep run` as processes: the refusal of a public listen
/// without auth, and the daemon serving its web view while it captures, stopped by SIGTERM.
@Suite("Serve and daemon web view", .serialized)
struct ServeProcessTests {
  /// GET `url` with a 5 s timeout: the status and body, or nil when nothing answered.
  static func get(_ url: String) -> (Int, String)? {
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var result: (Int, String)?
    var request = URLRequest(url: URL(string: url)!)
    request.timeoutInterval = 5
    URLSession.shared.dataTask(with: request) { data, response, _ in
      if let http = response as? HTTPURLResponse {
        result = (http.statusCode, String(decoding: data ?? Data(), as: UTF8.self))
      }
      done.signal()
    }.resume()
    done.wait()
    return result
  }

  static func wait(timeout: Double, _ condition: () -> Bool) -> Bool {
    let end = Date().addingTimeInterval(timeout)
    while Date() < end {
      if condition() { return true }
      Thread.sleep(forTimeInterval: 0.1)
    }
    return condition()
  }

  @Test func serveRefusesAPublicListenWithoutAuth() throws {
    let dir = TempDirectory(prefix: "sk-serve")
    let config = dir.write("sourcekeep.toml", LoopbackConfig.toml())
    let runner = CommandRunner(workingDirectory: dir.path)
    let result = try runner.run(["serve", "--listen", "0.0.0.0:18470", "--config", config])
    #expect(result.status == 78)
    #expect(result.stderr.contains("0.0.0.0:18470 is reachable from other machines"))
    #expect(result.stderr.contains("public = true"))
    let bad = try runner.run(["serve", "--listen", "localhost", "--config", config])
    #expect(bad.status == 78)
  }

  @Test func daemonServesWhileItCapturesAndStopsOnSIGTERM() throws {
    let binary = try CommandRunner.requireBinary()
    let server = try FixtureServer()
    let dir = "/tmp/skw-" + UUID().uuidString.prefix(8).lowercased()
    try FileManager.default.createDirectory(atPath: dir + "/digests", withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    // Slow pages: the first ingest is still capturing while the test reads the web view.
    let digest = """
      # AI行业速递 - 2026年03月10日

      ## 慢文章
      > **来源：** [慢一](\(server.url("/delay/3000?a"))) 、 [慢二](\(server.url("/delay/3000?b"))) 、
      > [慢三](\(server.url("/delay/3000?c"))) 、 [快](\(server.url("/ok")))

      """
    try digest.write(toFile: dir + "/digests/2026-03-10.md", atomically: true, encoding: .utf8)
    try LoopbackConfig.toml(fetch: "concurrency = 1", extra: "[web]\nlisten = \"127.0.0.1:0\"\n")
      .write(toFile: dir + "/sourcekeep.toml", atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = ["run", "--config", dir + "/sourcekeep.toml"]
    process.currentDirectoryURL = URL(fileURLWithPath: dir)
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "SOURCEKEEP_CONFIG")
    process.environment = env
    _ = FileManager.default.createFile(atPath: dir + "/stderr.txt", contents: nil)
    let stderr = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/stderr.txt"))
    process.standardError = stderr
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    defer { if process.isRunning { process.terminate() } }

    var base: String?
    #expect(
      Self.wait(timeout: 30) {
        let log = (try? String(contentsOfFile: dir + "/stderr.txt", encoding: .utf8)) ?? ""
        guard let range = log.range(of: "web view listening on ") else { return false }
        base = log[range.upperBound...].split(whereSeparator: { $0 == "\n" || $0 == " " }).first.map(String.init)
        return true
      })
    let root = try #require(base)
    // `sourcekeep serve` on the same store at the same time: no lock, a read-only catalog.
    let serve = Process()
    serve.executableURL = URL(fileURLWithPath: binary)
    serve.arguments = ["serve", "--listen", "127.0.0.1:0", "--config", dir + "/sourcekeep.toml"]
    serve.environment = env
    _ = FileManager.default.createFile(atPath: dir + "/serve.txt", contents: nil)
    serve.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/serve.txt"))
    serve.standardOutput = FileHandle.nullDevice
    // While the first ingest runs (its run.finish not yet journalled), the pages answer.
    let journal = JournalReader(directory: dir + "/data/journal")
    #expect(Self.wait(timeout: 20) { journal.last("run.start") != nil })
    try serve.run()
    defer { if serve.isRunning { serve.terminate() } }
    var serveBase: String?
    #expect(
      Self.wait(timeout: 30) {
        let log = (try? String(contentsOfFile: dir + "/serve.txt", encoding: .utf8)) ?? ""
        guard let range = log.range(of: "web view listening on ") else { return false }
        serveBase = log[range.upperBound...].split(whereSeparator: { $0 == "\n" || $0 == " " }).first.map(String.init)
        return true
      })
    let health = Self.get(root + "healthz")
    let front = Self.get(root)
    let standalone = serveBase.flatMap { Self.get($0) }
    #expect(journal.last("run.finish") == nil)
    #expect(health?.0 == 200)
    #expect(front?.0 == 200)
    #expect(front?.1.contains("2026-03-10.md") == true)
    #expect(standalone?.0 == 200)
    #expect(standalone?.1.contains("2026-03-10.md") == true)
    serve.terminate()
    #expect(Self.wait(timeout: 20) { !serve.isRunning })
    #expect(serve.terminationStatus == 0)
    // After the ingest, the captured page is served from the archive.
    #expect(Self.wait(timeout: 40) { journal.last("run.finish") != nil })
    let copy = Self.get(root + "web/2/" + server.url("/ok"))
    #expect(copy?.0 == 200)
    #expect(copy?.1.contains("Archived copy") == true)

    process.terminate()  // SIGTERM
    #expect(Self.wait(timeout: 20) { !process.isRunning })
    #expect(process.terminationStatus == 0)
    #expect(Self.get(root + "healthz") == nil)
  }
}
