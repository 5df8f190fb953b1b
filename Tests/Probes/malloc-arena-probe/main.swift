// Usage: malloc-arena-probe limit|default THREADS [PROCESSORS] [daemon]
//        malloc-arena-probe trim THREADS
// `limit` caps the arenas as `sourcekeep`'s main does (MallocArenas.limit with this process's
// environment, for PROCESSORS cores, default this machine's, and as the daemon when the last
// argument is `daemon`); `default` leaves glibc's own
// cap. Then THREADS threads allocate at the same time (a thread takes an arena on its first
// allocation, and a new arena while under the cap) and the probe prints how many arenas the
// process has.
// `trim`: THREADS threads each allocate 64 MiB in 1 KiB blocks, keep every 16th and free the
// rest (free pages between live blocks, which glibc keeps), then the probe prints the
// process's anonymous RSS in KiB before and after MallocArenas.trim().
import Foundation
import SKSystem
import Synchronization

let arguments = CommandLine.arguments
guard arguments.count >= 3, ["limit", "default", "trim"].contains(arguments[1]), let threads = Int(arguments[2])
else {
  FileHandle.standardError.write(Data("usage: malloc-arena-probe limit|default|trim THREADS [PROCESSORS]\n".utf8))
  exit(64)
}
if arguments[1] == "limit" {
  let processors = arguments.count > 3 ? Int(arguments[3]) : nil
  MallocArenas.limit(
    environment: ProcessInfo.processInfo.environment,
    processors: processors ?? ProcessInfo.processInfo.activeProcessorCount, daemon: arguments.last == "daemon")
}

/// The process's anonymous resident memory in KiB (`RssAnon` in /proc/self/status).
func anonymousRSS() -> Int {
  let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
  let line = status.split(separator: "\n").first { $0.hasPrefix("RssAnon:") } ?? ""
  return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
}

let allocated = Atomic<Int>(0)
let done = DispatchGroup()
let kept = Mutex<[[UInt8]]>([])
for _ in 0..<threads {
  done.enter()
  Thread.detachNewThread {
    if arguments[1] == "trim" {
      var mine: [[UInt8]] = []
      var live: [[UInt8]] = []
      for i in 0..<65_536 {
        let block = [UInt8](repeating: UInt8(truncatingIfNeeded: i), count: 1_000)
        if i % 16 == 0 { live.append(block) } else { mine.append(block) }
      }
      mine = []
      withExtendedLifetime(mine) {}
      kept.withLock { $0 += live }
      done.leave()
      return
    }
    // Kept until every thread has allocated, so no thread hands its arena to the next.
    withExtendedLifetime([UInt8](repeating: 1, count: 4_096)) {
      allocated.add(1, ordering: .sequentiallyConsistent)
      while allocated.load(ordering: .sequentiallyConsistent) < threads { usleep(1_000) }
    }
    done.leave()
  }
}
done.wait()
if arguments[1] == "trim" {
  let before = anonymousRSS()
  MallocArenas.trim()
  print(before, anonymousRSS(), kept.withLock { $0.count })
} else {
  print(MallocArenas.count().map(String.init) ?? "unknown")
}
