public import Foundation
public import SourcekeepCore

/// `sourcekeep show URL`: one archived capture, offline, from the archive alone
/// (docs/design.md#show). Read-only: the caller opens the catalog with
/// `Catalog.openForReading`; nothing here takes the store lock or writes.
public enum ShowJob {
  public enum Format: String, Sendable, CaseIterable {
    /// One self-contained HTML file: the readable rendition, images inline.
    case html
    /// The main text for a terminal.
    case text
    /// The capture's facts, its images and their statuses, the link's state.
    case json
    /// The archived response body as received (de-chunked, content-decoded).
    case original
  }

  /// What `show` prints: bytes (an HTML file, text, JSON or the original body), messages, a code.
  public struct Output: Sendable {
    public var body: [UInt8] = []
    public var stderr = ""
    public var exit = ExitStatus.ok
  }

  /// Shows the capture of `url` nearest `at` (nil: the one the report points at).
  public static func run(copy: ArchivedCopy, url: String, at: Date?, format: Format, now: Date = Date()) -> Output {
    var output = Output()
    let lookup: ArchivedCopy.Lookup
    do {
      lookup = try copy.find(url: url, at: at)
    } catch {
      output.stderr = "sourcekeep: \(error)\n"
      output.exit = .failure
      return output
    }
    switch lookup {
    case .unknown:
      output.stderr =
        "sourcekeep: \(url) is not in the catalog: no digest cites it. Cite it in a digest and run "
        + "`sourcekeep ingest now` to archive it; `sourcekeep search WORDS` finds archived articles by their text.\n"
      output.exit = .failure
    case .notCaptured(let link):
      let advice =
        link.state == .pending
        ? "run `sourcekeep ingest now` to capture it"
        : "`sourcekeep ingest now` retries links without a copy when they are due; `sourcekeep probe \(link.url)` shows what the server answers now"
      output.stderr =
        "sourcekeep: \(link.url) has no archived copy (link \(CopyBanner.state(link))); \(advice).\n"
      output.exit = .failure
    case .capture(let link, let index):
      do {
        output.body = try render(copy: copy, link: link, index: index, format: format)
      } catch {
        output.stderr = "sourcekeep: \(link.url): \(error)\n"
        output.exit = .failure
      }
    }
    return output
  }

  static func render(copy: ArchivedCopy, link: LinkCaptures, index: Int, format: Format) throws -> [UInt8] {
    let capture = link.captures[index]
    switch format {
    case .original:
      return try copy.original(capture).body
    case .text:
      return Array(ShowText.text(link: link, capture: capture, facts: try facts(copy, capture)).utf8)
    case .json:
      let facts = try? facts(copy, capture)
      return Array(
        (ShowJSON.value(link: link, index: index, facts: facts, images: ArchivedImages(copy: copy, capture: capture))
          .pretty + "\n").utf8)
    case .html:
      var rendition = try copy.readableHTML(capture)
      if rendition == nil {
        // A capture made before renditions existed: build one now from the archived page.
        let facts = try facts(copy, capture)
        rendition = ReadableRendition.html(
          facts: facts, url: capture.pointer.finalURL ?? capture.pointer.url, capturedAt: capture.pointer.capturedAt)
      }
      let archived = ArchivedImages(copy: copy, capture: capture)
      let page = SelfContainedPage(image: { archived.image($0) })
      let out = page.render(rendition ?? "") { inlined, missing in
        CopyBanner.html(link: link, capture: capture, inlined: inlined, missing: missing)
      }
      return Array(out.html.utf8)
    }
  }

  /// The page's facts, extracted again from the archived response (the same extractor as at
  /// capture time), or an error naming what the capture holds when it is not HTML.
  static func facts(_ copy: ArchivedCopy, _ capture: CaptureRow) throws -> PageFacts {
    let response = try copy.original(capture)
    let type = response.contentType?.lowercased() ?? ""
    guard type.isEmpty || type.contains("html") || type.contains("xml") else {
      throw ArchivedCopyError(
        "the capture is \(response.contentType ?? "?"), not an HTML page: `--format original` gives its bytes")
    }
    return try PageExtractor().extract(body: response.body, url: response.targetURI, contentType: response.contentType)
  }
}
