internal import Czlib

/// Writes one gzip member (RFC 1952) from input given a piece at a time: a WARC record whose
/// body is in a spool file is compressed chunk by chunk, so neither the record nor its member
/// is ever whole in memory (docs/design.md#spooled-bodies). Same settings as `GzipMember`.
///
/// Not Sendable: one owner feeds it, then calls `finish`.
public final class GzipStream {
  private let stream: UnsafeMutablePointer<z_stream>
  private var output = [UInt8](repeating: 0, count: 256 << 10)
  private var ended = false

  /// - Throws: `ZlibError` if zlib cannot initialise.
  public init(level: Int32 = 6, tuning: GzipMember.Tuning? = nil) throws(ZlibError) {
    stream = .allocate(capacity: 1)
    stream.initialize(to: z_stream())
    let rc = deflateInit2_(
      stream, level, Z_DEFLATED, MAX_WBITS + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
      Int32(MemoryLayout<z_stream>.size))
    guard rc == Z_OK else {
      stream.deallocate()
      throw ZlibError(code: .initFailed, message: "zlib deflateInit2 failed (\(rc))")
    }
    if let t = tuning { deflateTune(stream, t.goodLength, t.maxLazy, t.niceLength, t.maxChain) }
  }

  deinit {
    deflateEnd(stream)
    stream.deallocate()
  }

  /// Compresses `bytes`; `emit` receives compressed output as it is produced (possibly none).
  public func update<E: Error>(_ bytes: [UInt8], emit: ([UInt8]) throws(E) -> Void) throws(E) {
    try run(bytes, flush: Z_NO_FLUSH, emit: emit)
  }

  /// Ends the member (the gzip trailer); `emit` receives the rest of the output.
  public func finish<E: Error>(emit: ([UInt8]) throws(E) -> Void) throws(E) {
    guard !ended else { return }
    ended = true
    try run([], flush: Z_FINISH, emit: emit)
  }

  private func run<E: Error>(_ bytes: [UInt8], flush: Int32, emit: ([UInt8]) throws(E) -> Void) throws(E) {
    var pending: [[UInt8]] = []
    bytes.withUnsafeBufferPointer { inp in
      // zlib never writes through next_in; its type lacks `const` without Z_CONST.
      stream.pointee.next_in = UnsafeMutablePointer(mutating: inp.baseAddress)
      stream.pointee.avail_in = uInt(inp.count)
      while true {
        let (n, rc) = output.withUnsafeMutableBufferPointer { out in
          stream.pointee.next_out = out.baseAddress
          stream.pointee.avail_out = uInt(out.count)
          let rc = deflate(stream, flush)
          return (out.count - Int(stream.pointee.avail_out), rc)
        }
        if n > 0 { pending.append(Array(output[0..<n])) }
        // Done when the input is used up and zlib had room to spare (or the member ended).
        if rc == Z_STREAM_END || rc == Z_STREAM_ERROR { break }
        if stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 && flush != Z_FINISH { break }
        if rc == Z_BUF_ERROR && stream.pointee.avail_in == 0 { break }
      }
    }
    for piece in pending { try emit(piece) }
  }
}
