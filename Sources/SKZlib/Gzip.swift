internal import Czlib
import Foundation

/// Errors from zlib, with the zlib code and what to do.
public struct ZlibError: Error, Sendable, CustomStringConvertible {
  public enum Code: Sendable { case initFailed, dataError, outputLimit }
  public let code: Code
  public let message: String
  public var description: String { message }
}

/// Writes one complete gzip member (RFC 1952) per call.
///
/// A `.warc.gz` file is a series of gzip members, one per WARC record, so a reader can
/// seek to any record's offset and inflate just that record (warcio's `GzippingWrapper`
/// does the same with `MAX_WBITS + 16`).
public enum GzipMember {
  /// zlib's match-search knobs (`deflateTune`): how hard deflate looks for repeats.
  public struct Tuning: Sendable {
    public var goodLength: Int32
    public var maxLazy: Int32
    public var niceLength: Int32
    public var maxChain: Int32

    public init(goodLength: Int32, maxLazy: Int32, niceLength: Int32, maxChain: Int32) {
      self.goodLength = goodLength
      self.maxLazy = maxLazy
      self.niceLength = niceLength
      self.maxChain = maxChain
    }

    /// Level 6 with the hash chains cut from 128 to 64 and "nice" matches from 128 to 64
    /// bytes: on article HTML about a third less CPU than level 6 for a member ~2 % larger
    /// (level 5 is as fast but ~7 % larger). Measured on the capture benchmark's pages.
    public static let archive = Tuning(goodLength: 8, maxLazy: 16, niceLength: 64, maxChain: 64)
  }

  /// Compresses `data` into one gzip member.
  /// - Parameters:
  ///   - level: zlib level 0…9. Default 6, zlib's own default.
  ///   - tuning: overrides the level's match-search settings; nil keeps zlib's.
  /// - Throws: `ZlibError` if zlib cannot initialise.
  /// - SeeAlso: <https://zlib.net/manual.html#Advanced>
  public static func compress(
    _ data: some Collection<UInt8>, level: Int32 = 6, tuning: Tuning? = nil
  ) throws(ZlibError) -> [UInt8] {
    var stream = z_stream()
    let rc = deflateInit2_(
      &stream, level, Z_DEFLATED, MAX_WBITS + 16, 8, Z_DEFAULT_STRATEGY,
      ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    guard rc == Z_OK else {
      throw ZlibError(code: .initFailed, message: "zlib deflateInit2 failed (\(rc))")
    }
    defer { deflateEnd(&stream) }
    if let t = tuning { deflateTune(&stream, t.goodLength, t.maxLazy, t.niceLength, t.maxChain) }
    let count = data.count
    let bound = Int(deflateBound(&stream, uLong(count))) + 32
    var written = 0
    let output = [UInt8](unsafeUninitializedCapacity: bound) { out, initialized in
      func run(_ inp: UnsafeBufferPointer<UInt8>) {
        // zlib never writes through next_in; its type lacks `const` without Z_CONST.
        stream.next_in = UnsafeMutablePointer(mutating: inp.baseAddress)
        stream.avail_in = uInt(inp.count)
        stream.next_out = out.baseAddress
        stream.avail_out = uInt(out.count)
        _ = deflate(&stream, Z_FINISH)
        written = out.count - Int(stream.avail_out)
      }
      if data.withContiguousStorageIfAvailable(run) == nil { Array(data).withUnsafeBufferPointer(run) }
      initialized = written
    }
    return output
  }
}

/// Inflates gzip, zlib or raw-deflate bodies with a cap on the output size.
///
/// HTTP bodies are archived as received (compressed); parsing needs them decoded. The cap
/// stops decompression bombs: a 10 MB gzip body can expand to gigabytes.
public enum Inflater {
  /// The wire encodings sourcekeep decodes.
  public enum Encoding: Sendable { case gzip, deflate }

  /// Decodes `data`; stops with `outputLimit` once more than `limit` bytes would be produced.
  /// `deflate` accepts both zlib-wrapped and raw deflate (servers send either).
  /// Concatenated gzip members are all decoded.
  /// - Throws: `ZlibError` on corrupt data or when the output would exceed `limit`.
  /// - Parameter allowTruncated: return what decoded so far when the input ends early
  ///   (a body cut at `max_body_mb` is still worth parsing). Default false.
  public static func decode(
    _ data: [UInt8], encoding: Encoding = .gzip, limit: Int = 64 << 20, allowTruncated: Bool = false
  ) throws(ZlibError) -> [UInt8] {
    switch encoding {
    case .gzip:
      return try inflate(data, windowBits: MAX_WBITS + 32, limit: limit, allowTruncated: allowTruncated)
    case .deflate:
      do {
        return try inflate(data, windowBits: MAX_WBITS, limit: limit, allowTruncated: allowTruncated)
      } catch {
        if error.code == .outputLimit { throw error }
        return try inflate(data, windowBits: -MAX_WBITS, limit: limit, allowTruncated: allowTruncated)
      }
    }
  }

  /// Decodes the one gzip member that starts at `offset`.
  ///
  /// A `.warc.gz` is a series of members, one per record: this reads one record and says
  /// where the next begins.
  /// - Returns: the decoded bytes and how many compressed bytes the member took.
  /// - Throws: `ZlibError` when the member is corrupt, incomplete (a torn tail) or too large.
  public static func decodeMember(
    _ data: [UInt8], at offset: Int, limit: Int = 1 << 31
  ) throws(ZlibError) -> (bytes: [UInt8], consumed: Int) {
    var output: [UInt8] = []
    let consumed = try inflateOne(
      data, from: offset, windowBits: MAX_WBITS + 16, limit: limit, allowTruncated: false, into: &output)
    return (output, consumed)
  }

  private static func inflate(
    _ data: [UInt8], windowBits: Int32, limit: Int, allowTruncated: Bool
  ) throws(ZlibError) -> [UInt8] {
    var output: [UInt8] = []
    var offset = try inflateOne(
      data, from: 0, windowBits: windowBits, limit: limit, allowTruncated: allowTruncated, into: &output)
    // Further gzip members (RFC 1952 allows concatenation); trailing garbage after a
    // complete member is ignored, as browsers do.
    while windowBits > MAX_WBITS, offset > 0, offset < data.count {
      do {
        let consumed = try inflateOne(
          data, from: offset, windowBits: windowBits, limit: limit, allowTruncated: allowTruncated,
          into: &output)
        if consumed == 0 { break }
        offset += consumed
      } catch {
        if error.code == .outputLimit { throw error }
        break
      }
    }
    return output
  }

  private static func inflateOne(
    _ data: [UInt8], from start: Int, windowBits: Int32, limit: Int, allowTruncated: Bool,
    into output: inout [UInt8]
  ) throws(ZlibError) -> Int {
    var stream = z_stream()
    guard inflateInit2_(&stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
      throw ZlibError(code: .initFailed, message: "zlib inflateInit2 failed")
    }
    defer { inflateEnd(&stream) }
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    var status: Int32 = Z_OK
    var produced: [UInt8] = []
    // Inflate straight from `data` at `start`: copying the rest of the input per member made
    // walking a .warc.gz quadratic in its size.
    let consumed: Int = data.withUnsafeBufferPointer { whole in
      let inp = UnsafeBufferPointer(rebasing: whole[start...])
      stream.next_in = UnsafeMutablePointer(mutating: inp.baseAddress)
      stream.avail_in = uInt(clamping: inp.count)
      while status == Z_OK {
        let n: Int = chunk.withUnsafeMutableBufferPointer { out in
          stream.next_out = out.baseAddress
          stream.avail_out = uInt(out.count)
          status = Czlib.inflate(&stream, Z_NO_FLUSH)
          return out.count - Int(stream.avail_out)
        }
        produced.append(contentsOf: chunk[0..<n])
        if output.count + produced.count > limit {
          status = Z_MEM_ERROR
          break
        }
        if n == 0 && stream.avail_in == 0 && status == Z_OK { status = Z_BUF_ERROR }
      }
      return inp.count - Int(stream.avail_in)
    }
    if output.count + produced.count > limit {
      throw ZlibError(
        code: .outputLimit,
        message:
          "decoded body exceeds \(limit) bytes (decompression bomb guard); raise fetch.max_body_mb if this page is real"
      )
    }
    if status == Z_BUF_ERROR && allowTruncated {
      output.append(contentsOf: produced)
      return 0
    }
    guard status == Z_STREAM_END else {
      throw ZlibError(code: .dataError, message: "corrupt or incomplete compressed data (zlib status \(status))")
    }
    output.append(contentsOf: produced)
    return consumed
  }
}
