import Foundation
import SKZlib

/// A snapshot's main text as `snapshot_body.body` stores it: the UTF-8 text as one gzip member.
///
/// The format is part of the schema (migration v3 writes it): changing it takes a migration.
/// gzip rather than raw deflate: its CRC-32 makes a damaged blob an error instead of wrong
/// text, for 18 bytes per article. Written by libdeflate at level 1, read by zlib (any gzip
/// reader reads it): on the capture benchmark's articles libdeflate 1 took 0.10 s per 500
/// texts against zlib 1's 0.17-0.19 s, for blobs 7 % smaller; zlib 1 had been chosen over
/// zlib's default 6 (2.5x faster for a blob ~10 % larger), and the catalog's CPU goes to the
/// search index anyway.
enum SnapshotBody {
  static let level: Int32 = 1
  /// Far above any text the extractor keeps from a page (bodies are capped at fetch.max_body_mb);
  /// only a corrupt blob could get near it.
  static let limit = 256 << 20

  /// The blob for `text` (a BLOB column binds `Data`).
  static func encode(_ text: String) throws(ZlibError) -> Data {
    Data(try ArchiveGzip.member(text.utf8, level: level))
  }

  /// The UTF-8 text in `blob`.
  static func decode(_ blob: Data) throws(ZlibError) -> [UInt8] {
    try Inflater.decodeMember(Array(blob), at: 0, limit: limit).bytes
  }
}
