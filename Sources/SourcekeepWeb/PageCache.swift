import Foundation
import Synchronization

/// Rendered summary pages (`/`, `/digests/…`) kept for a few seconds.
///
/// Why: those pages are built from the whole report model (every link, its newest capture,
/// the rot curve); on 2,000 links one build costs hundreds of milliseconds, and a burst of
/// readers (or a refresh-happy tab) would queue behind it. A health summary five seconds old
/// is still the truth for its reader; copies, histories and Memento answers are never cached.
///
/// When a kept page expires, one reader rebuilds it and the others get the expired page
/// meanwhile: every reader rebuilding at once (16 connections under `wrk`, two cores) put the
/// digest page's p99 at 1.6 s (docs/performance.md#web-view).
final class PageCache: Sendable {
  static let lifetime: TimeInterval = 5
  static let capacity = 64

  private struct Kept {
    var made: Date
    var html: String
    var rebuilding = false
  }

  private let pages = Mutex<[String: Kept]>([:])

  /// The page for `key`, built by `make` unless a fresh one is kept (or another reader is
  /// already rebuilding an expired one, which is then served).
  func page(_ key: String, now: Date = Date(), _ make: () throws -> String) rethrows -> String {
    let kept = pages.withLock { all -> String? in
      guard var page = all[key] else { return nil }
      if now.timeIntervalSince(page.made) < Self.lifetime || page.rebuilding { return page.html }
      page.rebuilding = true
      all[key] = page
      return nil
    }
    if let kept { return kept }
    let html: String
    do {
      html = try make()
    } catch {
      pages.withLock { $0[key]?.rebuilding = false }
      throw error
    }
    pages.withLock { all in
      if all.count >= Self.capacity { all = all.filter { now.timeIntervalSince($0.value.made) < Self.lifetime } }
      if all.count < Self.capacity || all[key] != nil { all[key] = Kept(made: now, html: html) }
    }
    return html
  }
}
