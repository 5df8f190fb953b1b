import Glibc

/// Small facts about this process and the machine's clocks.
public enum SystemClock {
  /// `CLOCK_MONOTONIC` in microseconds (what systemd's `MONOTONIC_USEC=` wants).
  public static func monotonicMicroseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
  }
}

/// Signal dispositions (the daemon takes SIGTERM/SIGINT/SIGHUP as Dispatch events instead).
/// Who this process runs as.
public enum ProcessIdentity {
  /// The effective user id (`geteuid(2)`): 0 when the process runs as root.
  public static var effectiveUserID: UInt32 { geteuid() }
}
