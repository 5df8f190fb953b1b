public import Foundation
import SKSystem

/// The status journal (docs/design.md#journal, a contract): JSONL under
/// `<storage.dir>/journal/`, one file per UTC day, one JSON object per line with `ts`
/// (UTC, milliseconds) and `event` first.
///
/// Each line is written with a single `write(2)` on a descriptor opened with `O_APPEND`
/// (`AppendOnlyFile`), so lines from concurrent writers (the daemon and a CLI run, or several
/// threads) never interleave: the kernel appends each write atomically at the end of a regular file.
public struct Journal: Sendable {
  /// The journal folder.
  public let directory: String
  /// Stamped on every event this journal writes (`run`), so one run's events group together.
  public let runID: String
  /// Where write failures are reported (the journal must never crash its caller).
  private let onError: @Sendable (String) -> Void

  public init(
    directory: String, runID: String = Journal.newRunID(),
    onError: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
  ) {
    self.directory = directory
    self.runID = runID
    self.onError = onError
  }

  /// A short random run id (`r-5f2a9c1e`).
  public static func newRunID() -> String {
    "r-" + String(UInt32.random(in: 0...UInt32.max), radix: 16).leftPadded(8)
  }

  /// Appends one event. Never throws: a failure is reported through `onError`.
  public func record(_ event: String, _ fields: [(String, JSONValue)] = [], at date: Date = Date()) {
    var members: [(String, JSONValue)] = [("ts", .string(Timestamp.string(date))), ("event", .string(event))]
    members.append(("run", .string(runID)))
    members.append(contentsOf: fields.filter { $0.0 != "ts" && $0.0 != "event" && $0.0 != "run" })
    let line = JSONValue.object(members).compact + "\n"
    let path = file(for: date)
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      onError("journal: cannot create \(directory): \(error)")
      return
    }
    let bytes = Array(line.utf8)
    let written: Int
    do {
      written = try AppendOnlyFile.append(bytes, to: path)
    } catch  where error.operation == "open" {
      onError("journal: cannot open \(path): \(error.reason)")
      return
    } catch {
      written = -1
    }
    if written != bytes.count {
      onError("journal: short write to \(path) (\(written) of \(bytes.count) bytes)")
    }
  }

  /// The daily file an event at `date` goes to (`2026-02-17.jsonl`, UTC).
  public func file(for date: Date) -> String {
    (directory as NSString).appendingPathComponent(Timestamp.day(date) + ".jsonl")
  }
}

extension String {
  fileprivate func leftPadded(_ width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
