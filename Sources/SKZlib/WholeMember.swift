internal import Clibdeflate

extension Inflater {
  /// Decodes the gzip member that fills `data` from `offset` to its end, by libdeflate in one
  /// call, or nil when that is not what `data` holds: then the caller decodes it with zlib,
  /// whose errors say what is wrong.
  ///
  /// A reader that knows a member's length (a catalog pointer) holds exactly its bytes, so the
  /// member's last four bytes give its decoded size (ISIZE, RFC 1952) and the output is
  /// allocated once. libdeflate inflates about twice as fast as zlib; `verify`, `show` and the
  /// web view read every record this way (docs/performance.md#verify). The answer counts only
  /// when libdeflate took every byte and produced exactly ISIZE bytes.
  public static func decodeWholeMember(_ data: [UInt8], at offset: Int, limit: Int) -> [UInt8]? {
    guard offset >= 0, data.count - offset >= 18 else { return nil }
    let size =
      Int(data[data.count - 4]) | Int(data[data.count - 3]) << 8 | Int(data[data.count - 2]) << 16
      | Int(data[data.count - 1]) << 24
    // (A member of 4 GiB or more wraps ISIZE, and a wrong length reads a wrong one: libdeflate
    // then fails or stops early, and zlib decides.)
    guard size <= limit else { return nil }
    var ok = false
    let output = [UInt8](unsafeUninitializedCapacity: max(size, 1)) { out, initialized in
      initialized = 0
      guard let (consumed, produced) = libdeflateMember(data, at: offset, into: out, room: size),
        consumed == data.count - offset, produced == size
      else { return }
      initialized = produced
      ok = true
    }
    return ok ? output : nil
  }

  /// `decodeMember` for a reader that walks many members (`verify`'s scan of a file): libdeflate
  /// decodes the member at `offset` into `scratch`, reused from member to member, and the
  /// bytes are copied out at their size. A member that does not fit `scratch` (or `limit`), or
  /// that libdeflate refuses, is decoded by zlib as before, with its errors.
  public static func decodeMember(
    _ data: [UInt8], at offset: Int, limit: Int = 1 << 31, scratch: inout [UInt8]
  ) throws(ZlibError) -> (bytes: [UInt8], consumed: Int) {
    if data.count - offset >= 18, !scratch.isEmpty {
      let room = min(scratch.count, limit)
      let decoded = scratch.withUnsafeMutableBufferPointer { libdeflateMember(data, at: offset, into: $0, room: room) }
      if let (consumed, produced) = decoded { return (Array(scratch[0..<produced]), consumed) }
    }
    return try decodeMember(data, at: offset, limit: limit)
  }

  /// The one gzip member at `offset` decoded by libdeflate into the first `room` bytes of `out`:
  /// the bytes it took and gave, or nil when it failed (no decompressor, bad or cut data, no room).
  private static func libdeflateMember(
    _ data: [UInt8], at offset: Int, into out: UnsafeMutableBufferPointer<UInt8>, room: Int
  ) -> (consumed: Int, produced: Int)? {
    guard let decompressor = libdeflate_alloc_decompressor() else { return nil }
    defer { libdeflate_free_decompressor(decompressor) }
    var consumed = 0
    var produced = 0
    let result = data.withUnsafeBufferPointer { input in
      libdeflate_gzip_decompress_ex(
        decompressor, input.baseAddress! + offset, input.count - offset, out.baseAddress, room, &consumed,
        &produced)
    }
    return result == LIBDEFLATE_SUCCESS ? (consumed, produced) : nil
  }
}
