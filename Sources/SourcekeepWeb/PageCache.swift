import Foundation
import Synchronization

/// Rendered summary pages (`/`, `/digests/…`) kept for a few seconds.
///
/// Why: those pages are built from the whole report model (every link, its newest capture,
/// the rot curve); on 2,000 links one build costs hundreds of milliseconds, and a burst of
/// readers (or a refresh-happy tab) would queue behind it. A health summary five seconds old
/// is still the truth for its reader; copies, histories and Memento answers are never cached.
final class PageCache: Sendable {
  static let lifetime: TimeInterval = 5
  static let capacity = 64
  private let pages = Mutex<[String: (made: Date, html: String)]>([:])

  /// The page for `key`, built by `make` unless a fresh one is kept.
  func page(_ key: String, now: Date = Date(), _ make: () throws -> String) rethrows -> String {
    if let kept = pages.withLock({ $0[key] }), now.timeIntervalSince(kept.made) < Self.lifetime { return kept.html }
    let html = try make()
    pages.withLock { all in
      if all.count >= Self.capacity { all = all.filter { now.timeIntervalSince($0.value.made) < Self.lifetime } }
      if all.count < Self.capacity { all[key] = (now, html) }
    }
    return html
  }
}
