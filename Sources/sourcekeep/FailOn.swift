import ArgumentParser
import Foundation
import SourcekeepApp
import SourcekeepCore
import Synchronization

/// `--fail-on STATE` for `check now` (docs/design.md#exit-codes, a contract): counts the checked
/// links that ended in one of the states; exit 2 when there are any, as lychee does for CI.
final class FailOnTally: Sendable {
  let states: Set<LinkState>
  private let hits = Mutex([LinkState: Int]())

  init(_ states: [LinkState]) { self.states = Set(states) }

  func add(_ state: LinkState) {
    guard states.contains(state) else { return }
    hits.withLock { $0[state, default: 0] += 1 }
  }

  /// `hooks` counting each finished link's state.
  func counting(_ hooks: JobHooks) -> JobHooks {
    JobHooks(
      starting: hooks.starting,
      progress: { outcome, counts in
        self.add(outcome.stateAfter)
        hooks.progress(outcome, counts)
      },
      shouldStop: hooks.shouldStop)
  }

  /// A `--json` link line from the daemon.
  func add(record: String?) {
    guard let record, let state = JSONValue.parse(record)?["state_after"]?.stringValue.flatMap(LinkState.init)
    else { return }
    add(state)
  }

  /// Throws exit 2 (after saying why, unless quiet) when a link matched.
  func finish(quiet: Bool) throws {
    let found = hits.withLock { $0 }
    guard !found.isEmpty else { return }
    if !quiet {
      let list = found.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.rawValue)" }
      printError("sourcekeep: --fail-on: \(list.joined(separator: ", ")) link(s) after this check")
    }
    throw ExitCode.linksFailed
  }
}
