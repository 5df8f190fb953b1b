import Dispatch
import Foundation
import SKSystem
import SourcekeepCore

/// Notices new or changed digest files under `[digests] paths`.
///
/// inotify on every folder involved wakes the daemon only when something there changes; the
/// events are not interpreted, they only trigger a re-scan (after a short settle delay, so one
/// save's burst of events is one scan). The scan compares each digest's mtime and size with
/// the last picture, so it does not matter which event came or whether one was missed. A slow
/// stat poll backs inotify up (folders created later, watch limits, network file systems);
/// without inotify the poll runs every 2 s.
///
/// Not Sendable: the `Daemon` actor owns it and calls it only from its isolation; its
/// Dispatch sources fire on `queue`, the actor's executor, so they run in that same domain.
final class DigestWatcher {
  private let queue: DispatchQueue
  private let timer: any DispatchSourceTimer
  /// One-shot: the settle delay between an inotify burst and its re-scan.
  private let settle: any DispatchSourceTimer
  private var paths: [String]
  private var signature: [String: String] = [:]
  private var inotify: (any DispatchSourceRead)?
  private var inotifyHandle: Inotify?
  private var rescanScheduled = false
  private let onChange: @Sendable () -> Void

  /// - Parameter onChange: called on `queue` when a digest appeared, changed or disappeared.
  init(paths: [String], queue: DispatchQueue, onChange: @escaping @Sendable () -> Void) {
    self.queue = queue
    self.paths = paths
    self.onChange = onChange
    timer = DispatchSource.makeTimerSource(queue: queue)
    settle = DispatchSource.makeTimerSource(queue: queue)
  }

  /// Takes the first picture (what the start-up ingest reads) and starts watching.
  func start() {
    signature = scan()
    let handle = Inotify()
    if let handle {
      inotifyHandle = handle
      let source = DispatchSource.makeReadSource(fileDescriptor: handle.rawValue, queue: queue)
      source.setEventHandler { [weak self] in self?.inotifyFired() }
      source.setCancelHandler { handle.close() }
      source.resume()
      inotify = source
      addWatches()
    }
    let interval: Double = handle != nil ? 30 : 2
    timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .seconds(handle != nil ? 5 : 1))
    timer.setEventHandler { [weak self] in self?.rescan() }
    timer.resume()
    settle.setEventHandler { [weak self] in
      self?.rescanScheduled = false
      self?.rescan()
    }
    settle.schedule(deadline: .distantFuture)
    settle.resume()
  }

  /// Watches other paths from now on (config reload).
  func update(paths: [String]) {
    self.paths = paths
    addWatches()
    signature = scan()
  }

  func cancel() {
    timer.cancel()
    settle.cancel()
    inotify?.cancel()
  }

  private func inotifyFired() {
    // Drain the queued events; which ones came does not matter, the scan decides.
    inotifyHandle?.drain()
    guard !rescanScheduled else { return }
    rescanScheduled = true
    settle.schedule(deadline: .now() + 0.3)
  }

  private func rescan() {
    addWatches()
    let now = scan()
    if now != signature {
      signature = now
      onChange()
    }
  }

  /// Watches each folder in `paths` and every folder below it, and the folder holding each
  /// file path (adding a watch twice is harmless: inotify returns the same one).
  private func addWatches() {
    guard let inotifyHandle else { return }
    var folders: [String] = []
    for path in paths {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        folders.append((path as NSString).deletingLastPathComponent)
        continue
      }
      guard isDirectory.boolValue else {
        folders.append((path as NSString).deletingLastPathComponent)
        continue
      }
      folders.append(path)
      let below = FileManager.default.enumerator(atPath: path)
      while let name = below?.nextObject() as? String {
        if below?.fileAttributes?[.type] as? FileAttributeType == .typeDirectory { folders.append(path + "/" + name) }
      }
    }
    for folder in folders { inotifyHandle.watch(folder) }
  }

  /// Path → "mtime size" of every digest file under the paths.
  private func scan() -> [String: String] {
    var result: [String: String] = [:]
    for file in DigestReader().discover(paths).files {
      if let stamp = FileStamp(path: file) { result[file] = stamp.description }
    }
    return result
  }
}
