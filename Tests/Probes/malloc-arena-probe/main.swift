// Usage: malloc-arena-probe limit|default THREADS
// `limit` caps the arenas as `sourcekeep`'s main does (MallocArenas.limit with this process's
// environment); `default` leaves glibc's own cap. Then THREADS threads allocate at the same
// time (a thread takes an arena on its first allocation, and a new arena while under the cap)
// and the probe prints how many arenas the process has.
import Foundation
import SKSystem
import Synchronization

let arguments = CommandLine.arguments
guard arguments.count == 3, ["limit", "default"].contains(arguments[1]), let threads = Int(arguments[2]) else {
  FileHandle.standardError.write(Data("usage: malloc-arena-probe limit|default THREADS\n".utf8))
  exit(64)
}
if arguments[1] == "limit" {
  MallocArenas.limit(environment: ProcessInfo.processInfo.environment)
}

let allocated = Atomic<Int>(0)
let done = DispatchGroup()
for _ in 0..<threads {
  done.enter()
  Thread.detachNewThread {
    // Kept until every thread has allocated, so no thread hands its arena to the next.
    withExtendedLifetime([UInt8](repeating: 1, count: 4_096)) {
      allocated.add(1, ordering: .sequentiallyConsistent)
      while allocated.load(ordering: .sequentiallyConsistent) < threads { usleep(1_000) }
    }
    done.leave()
  }
}
done.wait()
print(MallocArenas.count().map(String.init) ?? "unknown")
