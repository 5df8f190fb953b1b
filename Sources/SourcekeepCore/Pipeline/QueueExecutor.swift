public import Dispatch

/// Runs an actor's jobs on its own Dispatch queue, outside Swift's cooperative pool.
///
/// The pool has one thread per core (two on the target machine). An actor that blocks —
/// `fsync`, a SQLite transaction — holds one of them for the whole call, and the parsing
/// and compression that could use that core wait. On its own queue the blocking actor
/// gets its own thread and the kernel shares the cores between everyone.
///
/// Code that Dispatch runs on `queue` (a timer, a read source) is on this executor too:
/// `checkIsolated` tells the runtime so, and the actor's `assumeIsolated` lets such code
/// call the actor synchronously instead of hopping through a task.
public final class QueueExecutor: SerialExecutor {
  public let queue: DispatchQueue

  public init(label: String) {
    queue = DispatchQueue(label: label)
  }

  public func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    let executor = asUnownedSerialExecutor()
    queue.async { job.runSynchronously(on: executor) }
  }

  public func checkIsolated() {
    dispatchPrecondition(condition: .onQueue(queue))
  }
}
