import Glibc

/// The width of the terminal a descriptor writes to, for wrapping text to it
/// (`report` on a TTY, docs/design.md#text-report).
public enum TerminalSize {
  /// Columns of the terminal on `descriptor` (`TIOCGWINSZ`), else `$COLUMNS`, else nil when
  /// the descriptor is not a terminal (a pipe or a file: no wrapping).
  public static func columns(_ descriptor: Int32) -> Int? {
    guard isatty(descriptor) == 1 else { return nil }
    var size = winsize()
    if ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
    if let text = getenv("COLUMNS"), let columns = Int(String(cString: text)), columns > 0 { return columns }
    return 80
  }
}
