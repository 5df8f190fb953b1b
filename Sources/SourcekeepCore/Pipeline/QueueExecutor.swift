import Dispatch

/// Runs an actor's jobs on its own Dispatch queue, outside Swift's cooperative pool.
///
/// The pool has one thread per core (two on the target machine). An actor that blocks —
/// `fsync`, a SQLite transaction — holds one of them for the whole call, and the parsing
/// and compression that could use that core wait. On its own queue the blocking actor
/// gets its own thread and the kernel shares the cores between everyone.
final class QueueExecutor: SerialExecutor {
  let queue: DispatchQueue

  init(label: String) {
    queue = DispatchQueue(label: label)
  }

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    let executor = asUnownedSerialExecutor()
    queue.async { job.runSynchronously(on: executor) }
  }
}
