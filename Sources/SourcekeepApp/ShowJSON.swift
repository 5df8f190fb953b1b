import Foundation
import SourcekeepCore

/// `show --format json` (and `--json`): the capture, its facts, its images and their
/// statuses, the link's state and its other captures (schema `sourcekeep.show/1`).
enum ShowJSON {
  static func value(link: LinkCaptures, index: Int, facts: PageFacts?, images: ArchivedImages) -> JSONValue {
    let capture = link.captures[index]
    func time(_ d: Date?) -> JSONValue { .optional(d.map(Timestamp.string)) }
    func location(_ l: WARCFile.Location?) -> JSONValue {
      guard let l else { return .null }
      return .object([("warc_file", .string(l.file)), ("warc_offset", .int(l.offset)), ("warc_length", .int(l.length))])
    }
    let factsValue: JSONValue =
      facts.flatMap { f in
        (try? JSONEncoder().encode(f)).flatMap { JSONValue.parse(String(decoding: $0, as: UTF8.self)) }
      }
      ?? .null
    var imageValues = images.entries.map { entry -> JSONValue in
      .object([
        ("url", .string(entry.url)), ("status", .string(entry.status)), ("reason", .optional(entry.reason)),
        ("http_status", .optional(entry.httpStatus)), ("record", location(entry.location)),
      ])
    }
    // A capture from before images were archived: the page's images, none of them fetched.
    if imageValues.isEmpty {
      imageValues = (facts?.images ?? []).map { url in
        .object([
          ("url", .string(url)), ("status", "not_captured"), ("reason", .null), ("http_status", .null),
          ("record", .null),
        ])
      }
    }
    return .object([
      ("schema", "sourcekeep.show/1"),
      ("url", .string(link.url)),
      (
        "link",
        .object([
          ("state", .string(link.state.rawValue)), ("status", .optional(link.status)),
          ("http_status", .optional(link.httpStatus)), ("last_checked", time(link.lastChecked)),
          ("last_ok", time(link.lastOK)), ("dead_since", time(link.deadSince)),
          ("summary", .string(CopyBanner.state(link))),
        ])
      ),
      (
        "capture",
        .object([
          ("captured_at", .string(Timestamp.string(capture.pointer.capturedAt))),
          ("timestamp", .string(CaptureTime.wayback(capture.pointer.capturedAt))),
          ("status", .optional(capture.status?.rawValue)), ("http_status", .optional(capture.httpStatus)),
          ("final_url", .optional(capture.pointer.finalURL)), ("record_type", .string(capture.pointer.recordType)),
          ("record", location(capture.pointer.location)), ("payload_digest", .string(capture.pointer.payloadDigest)),
          ("readable", location(capture.pointer.conversion)), ("truncated", .bool(capture.truncated)),
        ])
      ),
      ("facts", factsValue),
      ("requisites", .array(imageValues)),
      (
        "captures",
        .array(
          link.captures.map {
            .object([
              ("captured_at", .string(Timestamp.string($0.pointer.capturedAt))),
              ("status", .optional($0.status?.rawValue)), ("record_type", .string($0.pointer.recordType)),
            ])
          })
      ),
    ])
  }
}
