import ArgumentParser
import Foundation
import SourcekeepApp

/// ArgumentParser's exit for each `ExitStatus` (DESIGN.md "CLI", a contract).
extension ExitCode {
  init(_ status: ExitStatus) { self.init(status.rawValue) }

  static let usage = ExitCode(ExitStatus.usage)
  static let badInput = ExitCode(ExitStatus.badInput)
  static let busy = ExitCode(ExitStatus.busy)
  static let config = ExitCode(ExitStatus.config)
}

/// Writes a line to standard error.
func printError(_ message: String) {
  FileHandle.standardError.write(Data((message + "\n").utf8))
}
