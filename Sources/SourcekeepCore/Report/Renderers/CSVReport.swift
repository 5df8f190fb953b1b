import Foundation

/// `report --format csv`: one row per link, with a header, for spreadsheets and scripts.
///
/// RFC 4180: CRLF line ends; a field holding a comma, a double quote, CR or LF is quoted and
/// its quotes doubled. A link cited several times gets one row; its citations' digests, dates,
/// publishers and entries are joined with ` | ` in citation order, so the columns line up.
public enum CSVReport {
  /// The header row, in column order.
  public static let columns = [
    "url", "final_url", "state", "status", "reason", "http_status", "checks", "consecutive_failures",
    "first_seen", "last_checked", "last_ok", "first_failure", "dead_since", "digests", "digest_dates",
    "publishers", "entries", "captured_at", "warc_file", "warc_offset", "payload_digest", "archive", "open_command",
  ]

  /// The UTF-8 byte order mark (`report --format csv --bom`): Excel reads a CSV file as the
  /// system's legacy code page unless it starts with one, which garbles Chinese text.
  public static let byteOrderMark = "\u{FEFF}"

  public static func render(_ model: ReportModel, bom: Bool = false) -> String {
    let out = ReportOutput.memory()
    write(model, bom: bom, to: out)
    return out.text
  }

  /// Writes the header, then one row per link as it is read; `bom` puts the UTF-8 byte order
  /// mark first (off by default: scripts and most tools do not want it).
  public static func write<Input: ReportInput>(_ input: Input, bom: Bool = false, to out: ReportOutput)
    throws(Input.Failure)
  {
    if bom { out.write(byteOrderMark) }
    out.write(line(columns))
    try input.forEachLink { l in
      let s = l.snapshot
      out.write(
        line([
          l.url, l.finalURL ?? "", l.state.rawValue, l.status?.rawValue ?? "", l.reason ?? "",
          l.httpStatus.map(String.init) ?? "", String(l.checks), String(l.consecutiveFailures), l.firstSeen,
          l.lastChecked ?? "", l.lastOK ?? "", l.firstFailure ?? "", l.deadSince ?? "",
          joined(l.citations.map(\.digest)), joined(l.citations.map(\.digestDate)),
          joined(l.citations.map { $0.publisher ?? "" }), joined(l.citations.map { $0.entry ?? "" }),
          s?.capturedAt ?? "", s?.warcFile ?? "", s.map { String($0.warcOffset) } ?? "", s?.payloadDigest ?? "",
          s?.address(publicURL: input.publicURL, original: l.url) ?? "",
          s.map { _ in ReportModel.SnapshotRow.showCommand(l.url) } ?? "",
        ]))
    }
  }

  private static func line(_ fields: [String]) -> String {
    fields.map(field).joined(separator: ",") + "\r\n"
  }

  private static func joined(_ values: [String]) -> String {
    values.joined(separator: " | ")
  }

  /// One field, quoted when RFC 4180 requires it.
  ///
  /// Titles and entry names come from untrusted pages and digests: a cell starting with
  /// `=`, `+`, `-`, `@`, tab or CR would run as a formula in a spreadsheet (CSV injection),
  /// so such text gets a leading `'` (the OWASP advice). Numbers such as `-1` stay as they are.
  static func field(_ raw: String) -> String {
    var value = raw
    if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), Double(value) == nil {
      value = "'" + value
    }
    // Bytes, not scalars: these are ASCII, and UTF-8 never reuses ASCII bytes inside a character.
    let needsQuotes = value.utf8.contains { (byte: UInt8) -> Bool in
      byte == 0x2C || byte == 0x22 || byte == 0x0D || byte == 0x0A
    }
    guard needsQuotes else { return value }
    return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
