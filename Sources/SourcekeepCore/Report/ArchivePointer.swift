/// How every report names an archived copy.
///
/// Why one place: the editor copies these pointers from the text, Markdown, CSV and HTML
/// reports alike. Without `web.public_url` the pointer is the WARC file and offset, which
/// `warcio extract --payload FILE OFFSET` takes as written (the path is relative to
/// `storage.dir`, as the catalog stores it); with it, every format gives the web view's
/// Wayback-style address of the copy instead (docs/design.md#web-view).
extension ReportModel.SnapshotRow {
  /// `warc/….warc.gz#offset=1234`: the WARC file (relative to `storage.dir`) and the byte
  /// offset of the record's gzip member.
  public var pointer: String { "\(warcFile)#offset=\(warcOffset)" }

  /// `20260217080000`: the capture time in the 14 digits of Wayback-style URLs.
  public var timestamp14: String { String(capturedAt.filter(\.isNumber).prefix(14)) }

  /// `<public_url>/web/<14-digit capture time>/<url>`: the web view's address of this copy of
  /// `original`, or nil when no public URL is configured (or the result would not be a web URL).
  public func webURL(publicURL: String?, original: String) -> String? {
    guard var base = publicURL, !base.isEmpty else { return nil }
    while base.hasSuffix("/") { base.removeLast() }
    let url = base + "/web/" + timestamp14 + "/" + original
    return WebLink.isWeb(url) ? url : nil
  }

  /// The web address when there is one, else the WARC pointer: what every format prints.
  public func address(publicURL: String?, original: String) -> String {
    webURL(publicURL: publicURL, original: original) ?? pointer
  }

  /// `2026-02-17T08:00:00Z`: the capture time for Robust Links' `data-versiondate`.
  public var versionDate: String {
    capturedAt.count >= 19 ? String(capturedAt.prefix(19)) + "Z" : capturedAt
  }

  /// Robust Links attributes (robustlinks.mementoweb.org), HTML-escaped, each with a leading
  /// space: on a link to the original, `data-versionurl` and `data-versiondate` name this copy;
  /// on a link to the copy (`toCopy`), `data-originalurl` names the original as well. A reader
  /// whose original link dies still finds the copy, and the corrected digest keeps it.
  func robustLinkAttributes(original: String, web: String, toCopy: Bool) -> String {
    (toCopy ? " data-originalurl=\"\(HTMLReport.escape(original))\"" : "")
      + " data-versiondate=\"\(HTMLReport.escape(versionDate))\" data-versionurl=\"\(HTMLReport.escape(web))\""
  }

  /// `sourcekeep show 'URL'`: the command that prints this copy offline (docs/design.md#show),
  /// the URL quoted for a POSIX shell.
  public static func showCommand(_ url: String) -> String {
    // Most URLs hold no quote: Foundation's replacingOccurrences was 6 % of a CSV report's CPU.
    let quoted = url.utf8.contains(0x27) ? url.replacingOccurrences(of: "'", with: "'\\''") : url
    return "sourcekeep show '" + quoted + "'"
  }

  /// `archived 2026-02-17 08:00 UTC · warc/….warc.gz#offset=1234`.
  public var note: String { "archived \(ReportTime.short(capturedAt)) · \(pointer)" }

  /// `file:///srv/sourcekeep/warc/….warc.gz` when the storage folder is known, else the
  /// relative path: a link a browser or file manager can open on the archive's machine.
  public func fileLink(storageDir: String?) -> String {
    guard let dir = storageDir, !dir.isEmpty else { return warcFile }
    let root = dir.hasSuffix("/") ? String(dir.dropLast()) : dir
    let path = root + "/" + warcFile
    let escaped = path.addingPercentEncodingForFileURL()
    return "file://" + escaped
  }
}

/// Short timestamps for people: catalog times are ISO-8601 UTC with milliseconds.
public enum ReportTime {
  /// `2026-02-17T08:00:00.000Z` → `2026-02-17 08:00 UTC` (`Timestamp.forPeople`, the one
  /// format for people); other text is returned unchanged.
  public static func short(_ timestamp: String) -> String {
    Timestamp.forPeople(timestamp)
  }

  /// The date part of a timestamp (`2026-02-17`).
  public static func day(_ timestamp: String) -> String {
    String(timestamp.prefix(10))
  }
}

extension String {
  /// Percent-encodes what a `file://` URL path cannot carry (spaces, `#`, `?`, non-ASCII).
  fileprivate func addingPercentEncodingForFileURL() -> String {
    var out = ""
    for byte in utf8 {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "/"), UInt8(ascii: "-"), UInt8(ascii: "_"),
        UInt8(ascii: "."), UInt8(ascii: "~"):
        out.append(Character(Unicode.Scalar(byte)))
      default:
        out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(2)
      }
    }
    return out
  }

  fileprivate func leftPadded(_ width: Int) -> String {
    String(repeating: "0", count: max(0, width - count)) + self
  }
}
