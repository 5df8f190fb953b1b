import Foundation

/// Standard output written straight to the file descriptor, unbuffered: per-link lines reach a
/// pipe (`ingest now | tee log`) as they happen, and nothing is left in a buffer when a run is
/// interrupted (docs/design.md#interrupting-a-run). Everything a run prints goes through here, so
/// lines keep their order.
public enum StandardOutput {
  public static func write(_ text: String) {
    guard !text.isEmpty else { return }
    FileHandle.standardOutput.write(Data(text.utf8))
  }
}
