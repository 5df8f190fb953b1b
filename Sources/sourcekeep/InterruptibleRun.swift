import ArgumentParser
import Dispatch
import Foundation
import SourcekeepApp
import SourcekeepCore

/// An in-process `ingest now` / `check now` under SIGINT/SIGTERM (docs/design.md#interrupting-a-run,
/// a contract). The first signal stops the run taking links; the run then ends by itself (its
/// summary says "stopped early" and `run.finish` has `"interrupted": true`) or, after the
/// grace period or a second signal, is abandoned (`RunInterrupt.abandonment`). Either way the
/// process exits 130 (SIGINT) or 143 (SIGTERM).
enum InterruptibleRun {
  static func run(
    command: String, journal: Journal, reporter: ProgressReporter,
    job: @escaping @Sendable (JobHooks) async -> JobOutput
  ) async throws {
    let interrupt = RunInterrupt()
    let queue = DispatchQueue(label: "sourcekeep.signals")
    // Whoever comes first prints the ending: the run finishing, or the abandonment.
    let abandon: @Sendable (_ insisted: Bool) -> Void = { insisted in
      guard interrupt.abandon() else { return }
      reporter.finishLine()
      let text = interrupt.abandonment(command: command, journal: journal, insisted: insisted)
      switch reporter.mode {
      case .text: StandardOutput.write(text)
      case .quiet: StandardOutput.write(text.split(separator: "\n").first.map { $0 + "\n" } ?? "")
      case .json:
        StandardOutput.write(
          RunJSON.interrupted(
            summary: nil, command: command, signal: SignalWatcher.name(interrupt.signal ?? 0), abandoned: true,
            counts: interrupt.countsSoFar, exit: interrupt.exitCode ?? 130) + "\n")
      }
      Sourcekeep.exit(withError: ExitCode(interrupt.exitCode ?? 130))
    }
    let handlers: [(Int32, @Sendable () -> Void)] = [SIGINT, SIGTERM].map { number in
      (
        number,
        {
          switch interrupt.receive(number) {
          case .echo: return
          case .insist: return abandon(true)
          case .first: break
          }
          reporter.finishLine()
          printError(
            "sourcekeep: \(SignalWatcher.name(number)): stopping; no new links are started and the transfers in "
              + "flight get \(Int(interrupt.grace)) s to finish (press Ctrl-C again to stop at once)")
          queue.asyncAfter(deadline: .now() + interrupt.grace) { abandon(false) }
        }
      )
    }
    let watcher = SignalWatcher(queue: queue, handlers: handlers)
    defer { watcher.cancel() }
    // No link is fetched before a signal reaches these handlers (see SignalWatcher).
    if !(await watcher.registered()) {
      printError("sourcekeep: warning: the SIGINT/SIGTERM handlers did not report their registration within 5 s")
    }
    let output = await job(
      interrupt.hooks(JobHooks(starting: reporter.starting, progress: reporter.update)))
    guard interrupt.abandon() else {
      // Abandonment is printing and exiting; wait for it rather than print a second ending.
      try await Task.sleep(for: .seconds(3600))
      return
    }
    reporter.finishLine()
    reporter.printFailures()
    if let code = interrupt.exitCode {
      let name = SignalWatcher.name(interrupt.signal ?? 0)
      var interrupted = output
      interrupted.stdout += "  interrupted by \(name)\n"
      interrupted.finalLine += " · interrupted by \(name)"
      interrupted.json = RunJSON.interrupted(
        summary: output.json, command: command, signal: name, abandoned: false, counts: interrupt.countsSoFar,
        exit: code)
      try? interrupted.emit(reporter.mode)
      throw ExitCode(code)
    }
    try output.emit(reporter.mode)
  }
}
