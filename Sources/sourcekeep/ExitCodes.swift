import ArgumentParser
import Foundation
import SourcekeepCore

/// sourcekeep's exit codes (docs/design.md#exit-codes, a contract; the sysexits.h numbers).
extension ExitCode {
  /// 64: the command line is wrong.
  static let usage = ExitCode(64)
  /// 65: an input file (digest, HTML) is unreadable or malformed.
  static let badInput = ExitCode(65)
  /// 75: another run holds the storage lock; try again later.
  static let busy = ExitCode(75)
  /// 78: the configuration is invalid.
  static let config = ExitCode(78)
}

/// A feature whose engine arrives in a later release: says so plainly and exits 1.
struct NotYetAvailable: Error, CustomStringConvertible {
  let command: String
  let issue: String
  var description: String {
    "sourcekeep \(command) is not available in this release: the \(issue) engine has not landed yet. Nothing was done."
  }
}

/// Writes a line to standard error, cleaned of control characters (`TerminalText`).
func printError(_ message: String) {
  FileHandle.standardError.write(Data((TerminalText.clean(message) + "\n").utf8))
}
