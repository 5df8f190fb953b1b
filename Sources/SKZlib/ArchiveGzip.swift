internal import Clibdeflate

/// Compresses a whole in-memory WARC record into one gzip member (RFC 1952) with libdeflate.
///
/// libdeflate compresses a complete buffer in one call, which is exactly how a record whose
/// block is in memory is archived (one member per record, so a reader can seek to any record).
/// Level 4 against zlib level 6 with the archive tuning this replaced: on 25 real pages of the
/// extraction benchmark (217 KB of HTML on average) 2.4x less CPU for members 2.5 % larger; on
/// the capture benchmark's text-heavy pages 2.7x less CPU for members 11 % larger. libdeflate's
/// level 6 made that benchmark's archive no smaller (52.7 MB against 52.4 MB) for 2.6x the
/// compression CPU. The sweep is in
/// docs/performance.md#where-capture-cpu-goes. Records whose body is spooled to disk are
/// compressed a chunk at a time by zlib (`GzipStream`): libdeflate has no streaming interface.
public enum ArchiveGzip {
  /// libdeflate's level for archive members.
  public static let level: Int32 = 4

  /// `data` as one gzip member. Any gzip reader (zlib, warcio, pywb) reads it.
  /// - Throws: `ZlibError.initFailed` when libdeflate cannot allocate its compressor.
  public static func member(_ data: some Collection<UInt8>, level: Int32 = level) throws(ZlibError) -> [UInt8] {
    // One compressor per call: libdeflate resets its tables for every buffer anyway, and
    // allocating one per 60 KB page measured within the noise of reusing one (330-365 µs
    // against 335-345 µs), so no pool shared between threads is needed.
    guard let compressor = libdeflate_alloc_compressor(level) else {
      throw ZlibError(code: .initFailed, message: "libdeflate could not allocate a level \(level) compressor")
    }
    defer { libdeflate_free_compressor(compressor) }
    func run(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8] {
      let bound = libdeflate_gzip_compress_bound(compressor, input.count)
      let output = [UInt8](unsafeUninitializedCapacity: bound) { out, initialized in
        initialized = libdeflate_gzip_compress(compressor, input.baseAddress, input.count, out.baseAddress, bound)
      }
      // The member waits for the archive sink, perhaps in a batch of many: handed on in an array
      // of its own size, not of the bound (the input's size and more), which held about four
      // times the member's bytes for an article's HTML.
      // (`Array(output[...])` would keep the same storage: the slice spans all of it.)
      return output.count * 4 < bound * 3 ? output.withUnsafeBufferPointer { Array($0) } : output
    }
    let output = data.withContiguousStorageIfAvailable(run) ?? Array(data).withUnsafeBufferPointer(run)
    // The bound always fits; 0 would mean libdeflate broke its own contract.
    guard !output.isEmpty else {
      throw ZlibError(code: .initFailed, message: "libdeflate produced no output for \(data.count) bytes")
    }
    return output
  }
}
