import CGlibcMalloc
import Glibc

/// glibc's malloc arenas: how many heaps the process's threads allocate from.
///
/// glibc gives threads their own arena, up to 8 per core, and an arena keeps the pages its
/// freed blocks were in. A long run's threads (Dispatch workers, the cooperative pool, the
/// curl and archive threads) each leave such free pages behind: at a million links,
/// `check now --all` held 35.8 MB of arenas with 13.4 MB in use (docs/performance.md, "glibc's
/// arenas"). Two arenas keep most of that memory in use; the per-thread cache (tcache) still
/// serves small blocks without a lock, so the threads seldom wait for each other.
public enum MallocArenas {
  /// Caps the arenas at two unless the environment chose a cap (`MALLOC_ARENA_MAX`, or
  /// `glibc.malloc.arena_max` in `GLIBC_TUNABLES`): the operator's setting wins. Call it
  /// first thing in `main`: glibc fixes its own cap when the ninth arena is made.
  public static func limit(environment: [String: String]) {
    if environment["MALLOC_ARENA_MAX"] != nil { return }
    if environment["GLIBC_TUNABLES"]?.contains("glibc.malloc.arena_max") == true { return }
    _ = mallopt(M_ARENA_MAX, 2)
  }

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
