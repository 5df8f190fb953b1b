import CGlibcMalloc
import Glibc

/// glibc's malloc arenas: how many heaps the process's threads allocate from.
///
/// glibc gives threads their own arena, up to 8 per core, and an arena keeps the pages its
/// freed blocks were in. A long run's threads (Dispatch workers, the cooperative pool, the
/// curl and archive threads) each leave such free pages behind: at a million links,
/// `check now --all` held 35.8 MB of arenas with 13.4 MB in use (docs/performance.md, "glibc's
/// arenas"). Too few arenas cost the other way: threads that share one wait for its lock, and
/// a capture of real pages (many small blocks for the parsed tree) spent 17 % more CPU with two
/// arenas on two cores than with four. So a command gets one arena per thread that allocates a
/// lot at once (the cooperative pool's, one per core, plus the archive sink's and libcurl's),
/// and a run gives the free pages back every few thousand links (`trim`). The daemon keeps two:
/// a third of the way through a million-link check cycle it had reached 97.4 MB with four (the
/// web view's libraries add 4 MB of their own) against 89.7 MB with two; #17's bound is 100 MB.
public enum MallocArenas {
  /// The cap `limit` sets: for a command, one arena for each of the cooperative pool's threads
  /// (`processors`), one for the archive sink's and one for libcurl's; two for the daemon.
  public static func cap(processors: Int, daemon: Bool) -> Int { daemon ? 2 : max(1, processors) + 2 }

  /// Caps the arenas at `cap(processors:daemon:)` unless the environment chose a cap
  /// (`MALLOC_ARENA_MAX`, or `glibc.malloc.arena_max` in `GLIBC_TUNABLES`): the operator's
  /// setting wins. Call it first thing in `main`, before a second thread allocates: glibc fixes
  /// its own cap when the first arena past the default is made.
  public static func limit(environment: [String: String], processors: Int, daemon: Bool) {
    if environment["MALLOC_ARENA_MAX"] != nil { return }
    if environment["GLIBC_TUNABLES"]?.contains("glibc.malloc.arena_max") == true { return }
    _ = mallopt(M_ARENA_MAX, Int32(clamping: cap(processors: processors, daemon: daemon)))
  }

  /// Gives the free pages inside every arena back to the kernel (`malloc_trim(0)`): what the
  /// arenas keep between two calls is what a few thousand links freed, not what a whole run did.
  /// - Returns: whether any memory was released.
  @discardableResult
  public static func trim() -> Bool { malloc_trim(0) == 1 }

  /// How many arenas the process has (the `<heap>` elements of `malloc_info`), for tests and
  /// benchmarks; nil if glibc could not report.
  public static func count() -> Int? {
    var buffer: UnsafeMutablePointer<CChar>?
    var size = 0
    guard let stream = open_memstream(&buffer, &size) else { return nil }
    let status = malloc_info(0, stream)
    fclose(stream)
    defer { free(buffer) }
    guard status == 0, let buffer else { return nil }
    return String(cString: buffer).ranges(of: "<heap nr=").count
  }
}
