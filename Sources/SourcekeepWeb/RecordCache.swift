import Synchronization

/// What the web view made from an archived record, kept in memory up to a byte budget, least
/// recently used out first (docs/performance.md#web-view).
///
/// Why: a WARC record never changes once written, so the readable copy built from it (read at
/// its offset, inflated, its body cut out and its images pointed at `im_` addresses) is the same
/// for every reader. Building it costs far more than the rest of a copy page; a copy that is
/// being read (the one a report just linked) is built once. The catalog answers (the link's
/// state, its captures) are read fresh on every request, so the banner is always current.
final class RecordCache<Value: Sendable>: Sendable {
  /// The byte budget.
  let capacity: Int
  /// The largest value kept (a quarter of the budget unless told): larger ones are built
  /// for each reader and never push the kept ones out.
  let maxValue: Int

  private struct Entry {
    var value: Value
    var bytes: Int
    var used: UInt64
  }

  private struct Store {
    var entries: [String: Entry] = [:]
    var bytes = 0
    var clock: UInt64 = 0
  }

  private let store = Mutex(Store())

  init(capacity: Int, maxValue: Int? = nil) {
    self.capacity = capacity
    self.maxValue = min(maxValue ?? capacity / 4, capacity / 4)
  }

  /// The value kept for `key`, else `make()`'s (kept when it fits). `make` runs outside the
  /// lock: two first readers of one record may both build it, and neither waits for the other.
  func value(_ key: String, make: () throws -> (value: Value, bytes: Int)?) rethrows -> Value? {
    let kept: Value? = store.withLock { s in
      guard var entry = s.entries[key] else { return nil }
      s.clock += 1
      entry.used = s.clock
      s.entries[key] = entry
      return entry.value
    }
    if let kept { return kept }
    guard let made = try make() else { return nil }
    guard made.bytes <= maxValue else { return made.value }
    store.withLock { s in
      s.clock += 1
      if let old = s.entries.updateValue(Entry(value: made.value, bytes: made.bytes, used: s.clock), forKey: key) {
        s.bytes -= old.bytes
      }
      s.bytes += made.bytes
      guard s.bytes > capacity else { return }
      // Over budget: drop the least recently used down to three quarters, so eviction (a
      // sort) runs once per many insertions rather than on each.
      for (oldKey, entry) in s.entries.sorted(by: { $0.value.used < $1.value.used }) {
        if s.bytes <= capacity * 3 / 4 { break }
        s.entries[oldKey] = nil
        s.bytes -= entry.bytes
      }
    }
    return made.value
  }

  /// Bytes kept now (for tests and `/metrics`).
  var bytes: Int { store.withLock { $0.bytes } }
  var count: Int { store.withLock { $0.entries.count } }
}
