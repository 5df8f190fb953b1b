import Dispatch
import Foundation
import SourcekeepCore

/// Notices new or changed digest files by a cheap stat poll of `[digests] paths`.
///
/// A poll every few seconds over a folder of daily digests costs microseconds, works the same
/// for folders and single files, across renames and editors that replace files, and needs no
/// inotify descriptors to re-arm when folders come and go. The timer has a generous leeway
/// so the kernel can batch its wake-ups with others.
final class DigestWatcher: @unchecked Sendable {
  // `signature` and `paths` are touched only on `queue`.
  private let queue: DispatchQueue
  private let timer: any DispatchSourceTimer
  private var paths: [String]
  private var signature: [String: String] = [:]
  private let onChange: @Sendable () -> Void

  /// - Parameters:
  ///   - interval: seconds between polls (default 2).
  ///   - onChange: called on `queue` when a digest appeared, changed or disappeared.
  init(paths: [String], queue: DispatchQueue, interval: Double = 2, onChange: @escaping @Sendable () -> Void) {
    self.queue = queue
    self.paths = paths
    self.onChange = onChange
    timer = DispatchSource.makeTimerSource(queue: queue)
    timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(500))
  }

  /// Takes the first picture (what the start-up ingest reads) and starts polling.
  func start() {
    queue.async {
      self.signature = self.scan()
      self.timer.setEventHandler { [weak self] in self?.poll() }
      self.timer.resume()
    }
  }

  /// Watches other paths from now on (config reload).
  func update(paths: [String]) {
    dispatchPrecondition(condition: .onQueue(queue))
    self.paths = paths
    signature = scan()
  }

  func cancel() { timer.cancel() }

  private func poll() {
    let now = scan()
    if now != signature {
      signature = now
      onChange()
    }
  }

  /// Path → "mtime size" of every digest file under the paths.
  private func scan() -> [String: String] {
    var result: [String: String] = [:]
    for file in DigestReader().discover(paths).files {
      var info = stat()
      if stat(file, &info) == 0 {
        result[file] = "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_size)"
      }
    }
    return result
  }
}
