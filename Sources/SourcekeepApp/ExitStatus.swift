/// sourcekeep's exit codes (docs/design.md#exit-codes, a contract; the sysexits.h numbers): the one
/// place a command, a job or the daemon picks the code a process exits with.
public enum ExitStatus: Int32, Sendable, Equatable {
  /// 0: done, even if links are dead.
  case ok = 0
  /// 1: anything else (an unopenable store, a failed run).
  case failure = 1
  /// 2: `--fail-on STATE` matched: a link in scope is in one of those states.
  case linksFailed = 2
  /// 64: the command line (or a control request) is wrong.
  case usage = 64
  /// 65: an input file (digest, HTML) is unreadable or malformed.
  case badInput = 65
  /// 75: another run holds the storage lock, or the daemon stopped: try again later.
  case busy = 75
  /// 78: the configuration is invalid.
  case config = 78
}
