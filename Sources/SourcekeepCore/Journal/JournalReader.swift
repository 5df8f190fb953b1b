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
    var out: [Line] = []
    forEachLine(since: since) { out.append($0) }
    return out
  }

  /// Calls `body` with every event at or after `since` (all when nil), oldest first, reading
  /// each file in 1 MiB chunks: memory holds one chunk, whatever the journal's size
  /// (a check of 100,000 links writes ~40 MB a day; docs/performance.md#scale).
  public func forEachLine(since: Date? = nil, _ body: (Line) throws -> Void) rethrows {
    let cutoff = since.map(Timestamp.string)
    let cutoffDay = since.map { Timestamp.day($0) }
    for file in files() {
      if let cutoffDay, (file as NSString).lastPathComponent < cutoffDay + ".jsonl" { continue }
      guard let handle = FileHandle(forReadingAtPath: file) else { continue }
      defer { try? handle.close() }
      var carry: [UInt8] = []
      while true {
        let data = (try? handle.read(upToCount: Self.chunk)) ?? Data()
        let atEnd = data.isEmpty
        carry.append(contentsOf: data)
        var start = 0
        while let newline = carry[start...].firstIndex(of: 0x0A) {
          try emit(carry[start..<newline], cutoff: cutoff, body)
          start = newline + 1
        }
        if atEnd {
          if start < carry.count { try emit(carry[start...], cutoff: cutoff, body) }
          break
        }
        carry.removeFirst(start)
      }
    }
  }

  private func emit(_ bytes: ArraySlice<UInt8>, cutoff: String?, _ body: (Line) throws -> Void) rethrows {
    guard !bytes.isEmpty else { return }
    let raw = String(decoding: bytes, as: UTF8.self)
    let line = Line(raw: raw, value: JSONValue.parse(raw))
    if let cutoff, let ts = line.ts, ts < cutoff { return }
    try body(line)
  }

  /// The newest event named `event`, if any.
  public func last(_ event: String) -> Line? {
    last(containing: "\"event\":\"\(event)\"") { $0.event == event }
  }

  /// The newest line that contains `hint` (a cheap test on the raw text, before parsing) and
  /// satisfies `matches`, looking no further back than the file of `since`'s day. Files are
  /// read backwards in 1 MiB chunks, so `status` finds the last run in milliseconds and
  /// bounded memory however long the journal is.
  public func last(since: Date? = nil, containing hint: String, where matches: (Line) -> Bool) -> Line? {
    let cutoffDay = since.map { Timestamp.day($0) }
    // Every journal line names its event: an empty hint stands for any line.
    let needle = Array((hint.isEmpty ? "\"event\"" : hint).utf8)
    for file in files().reversed() {
      if let cutoffDay, (file as NSString).lastPathComponent < cutoffDay + ".jsonl" { break }
      guard let handle = FileHandle(forReadingAtPath: file) else { continue }
      defer { try? handle.close() }
      var end = fileSize(file)
      // The bytes of the region read before (later in the file) up to its first newline: the
      // end of a line that starts in the next chunk back.
      var carry: [UInt8] = []
      while end > 0 {
        let start = end > UInt64(Self.chunk) ? end - UInt64(Self.chunk) : 0
        guard (try? handle.seek(toOffset: start)) != nil,
          let data = try? handle.read(upToCount: Int(end - start))
        else { break }
        var bytes = [UInt8](data)
        bytes.append(contentsOf: carry)
        // Unless this is the file's start, the bytes before the first newline are a partial line.
        let first = start == 0 ? 0 : (bytes.firstIndex(of: 0x0A).map { $0 + 1 } ?? bytes.count)
        // Jump from one occurrence of `hint` to the previous one (a tight byte loop: the
        // journal of a 100,000-link check is ~85 MB), parsing only the lines that hold it.
        var before = bytes.count
        while let at = Self.lastOccurrence(of: needle, in: bytes, from: first, before: before) {
          var lineStart = at
          while lineStart > first && bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
          var lineEnd = at
          while lineEnd < bytes.count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
          let raw = String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self)
          let line = Line(raw: raw, value: JSONValue.parse(raw))
          if matches(line) { return line }
          before = lineStart
        }
        carry = Array(bytes[0..<first])
        end = start
      }
    }
    return nil
  }

  /// Where the last `needle` starting in `bytes[from..<before]` (and ending before
  /// `bytes.count`) begins, or nil.
  ///
  /// Horspool's search run backwards: a window that does not match moves left by the distance
  /// from the needle's start to the nearest later place in the needle of the byte under the
  /// window's start (the whole needle when the byte is not in it). The hint `status` looks
  /// for, `"event":"run.finish"`, starts with a quote, which a journal line has every few bytes:
  /// testing each byte against it made `status` read about 1 ns a byte of the journal written
  /// since the last ingest (0.11 CPU-s after two checks of 100,000 links).
  static func lastOccurrence(of needle: [UInt8], in bytes: [UInt8], from: Int, before: Int) -> Int? {
    let m = needle.count
    guard m > 0 else { return nil }
    var skip = [Int](repeating: m, count: 256)
    for k in stride(from: m - 1, through: 1, by: -1) { skip[Int(needle[k])] = k }
    var i = min(before, bytes.count - m + 1) - 1
    while i >= from {
      let b = bytes[i]
      if b == needle[0] {
        var j = 1
        while j < m && bytes[i + j] == needle[j] { j += 1 }
        if j == m { return i }
      }
      i -= skip[Int(b)]
    }
    return nil
  }

  /// How much of a journal file is read at a time.
  static let chunk = 1 << 20

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
    let ts = line.ts.map { Timestamp.forPeople($0, seconds: true) } ?? "?"
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
