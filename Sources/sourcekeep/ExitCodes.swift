import ArgumentParser
import Foundation
import SourcekeepApp
import SourcekeepCore

/// ArgumentParser's exit for each `ExitStatus` (docs/design.md#exit-codes, a contract; the sysexits.h numbers).
extension ExitCode {
  init(_ status: ExitStatus) { self.init(status.rawValue) }

  static let linksFailed = ExitCode(ExitStatus.linksFailed)
  static let usage = ExitCode(ExitStatus.usage)
  static let badInput = ExitCode(ExitStatus.badInput)
  static let busy = ExitCode(ExitStatus.busy)
  static let config = ExitCode(ExitStatus.config)
}

/// Writes a line to standard error, cleaned of control characters (`TerminalText`).
func printError(_ message: String) {
  FileHandle.standardError.write(Data((TerminalText.clean(message) + "\n").utf8))
}
