public import Foundation

/// Reads the status journal back: all events, events since a time, or new events as they
/// are appended (`sourcekeep journal --follow`).
public struct JournalReader: Sendable {
  public let directory: String

  public init(directory: String) { self.directory = directory }

  /// One journal line, parsed.
  public struct Line: Sendable {
    /// The raw line as written (for `--json`).
    public var raw: String
    /// The parsed object, or nil for a line that is not JSON (reported, not fatal).
    public var value: JSONValue?
    public var ts: String? { value?["ts"]?.stringValue }
    public var event: String? { value?["event"]?.stringValue }
  }

  /// The journal files, oldest first.
  public func files() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.filter { $0.hasSuffix(".jsonl") }.sorted().map { (directory as NSString).appendingPathComponent($0) }
  }

  /// Every event at or after `since` (all when nil), oldest first.
  public func lines(since: Date? = nil) -> [Line] {
    let cutoff = since.map(Timestamp.string)
    let cutoffDay = since.map { Timestamp.day($0) }
    var out: [Line] = []
    for file in files() {
      if let cutoffDay, (file as NSString).lastPathComponent < cutoffDay + ".jsonl" { continue }
      guard let data = FileManager.default.contents(atPath: file) else { continue }
      for raw in String(decoding: data, as: UTF8.self).split(separator: "\n") {
        let line = Line(raw: String(raw), value: JSONValue.parse(String(raw)))
        if let cutoff, let ts = line.ts, ts < cutoff { continue }
        out.append(line)
      }
    }
    return out
  }

  /// The newest event named `event`, if any.
  public func last(_ event: String) -> Line? {
    for file in files().reversed() {
      guard let data = FileManager.default.contents(atPath: file) else { continue }
      for raw in String(decoding: data, as: UTF8.self).split(separator: "\n").reversed() {
        let line = Line(raw: String(raw), value: JSONValue.parse(String(raw)))
        if line.event == event { return line }
      }
    }
    return nil
  }

  /// Calls `handle` for each line appended after the current end (like `tail -f`),
  /// polling every `interval`, until `handle` returns false or the task is cancelled.
  public func follow(interval: Duration = .milliseconds(500), _ handle: (Line) -> Bool) async {
    var offsets: [String: UInt64] = [:]
    for file in files() { offsets[file] = fileSize(file) }
    while !Task.isCancelled {
      for file in files() {
        let start = offsets[file] ?? 0
        let size = fileSize(file)
        guard size > start, let handleFile = FileHandle(forReadingAtPath: file) else { continue }
        defer { try? handleFile.close() }
        try? handleFile.seek(toOffset: start)
        let data = handleFile.readData(ofLength: Int(size - start))
        // Only whole lines: a line being written right now is read next round.
        guard let lastNewline = data.lastIndex(of: 0x0A) else { continue }
        let chunk = data[data.startIndex...lastNewline]
        offsets[file] = start + UInt64(chunk.count)
        for raw in String(decoding: chunk, as: UTF8.self).split(separator: "\n") {
          if !handle(Line(raw: String(raw), value: JSONValue.parse(String(raw)))) { return }
        }
      }
      try? await Task.sleep(for: interval)
    }
  }

  private func fileSize(_ path: String) -> UInt64 {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.uint64Value ?? 0
  }

  /// A journal line for people: `2026-02-17 08:30:00.123Z  capture  url=… status=ok`.
  public static func human(_ line: Line) -> String {
    TerminalText.clean(humanUncleaned(line), singleLine: true)
  }

  private static func humanUncleaned(_ line: Line) -> String {
    guard case .object(let members)? = line.value else { return "(unparsable) \(line.raw)" }
    let ts = (line.ts ?? "?").replacingOccurrences(of: "T", with: " ")
    let event = line.event ?? "?"
    let rest = members.filter { !["ts", "event"].contains($0.0) }.map { key, value -> String in
      switch value {
      case .string(let s): return "\(key)=\(s.contains(" ") ? "\"\(s)\"" : s)"
      default: return "\(key)=\(value.compact)"
      }
    }
    return ([ts, event.padding(toLength: max(event.count, 14), withPad: " ", startingAt: 0)] + rest)
      .joined(separator: "  ")
  }
}
