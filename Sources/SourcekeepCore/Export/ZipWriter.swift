import Foundation
import SKSystem
import SKZlib

/// A zip file written entry by entry, every entry STORED (a WACZ keeps its WARCs uncompressed,
/// so a reader can seek into them), with ZIP64 where a size or offset passes 4 GiB
/// (APPNOTE 6.3.x §4.3, §4.5.3). docs/design.md#wacz-export.
///
/// Streaming: an entry's bytes go to the file in pieces while its CRC-32 (libdeflate) and SHA-256
/// (swift-crypto) are computed; the CRC is patched into the local header afterwards (one
/// `pwrite`), so nothing is read twice and memory does not grow with the entry. ZIPFoundation 0.9.20 can
/// add an entry from a provider closure too, but it is a dependency for ~200 lines and its
/// provider API wants the whole size up front anyway; this writer is the reason it is not used.
final class ZipWriter {
  private let file: SequentialOutput
  private let path: String
  private var offset: UInt64 = 0
  private var entries: [Central] = []
  private let dosTime: UInt16
  private let dosDate: UInt16

  private struct Central {
    var name: [UInt8]
    var crc: UInt32
    var size: UInt64
    var offset: UInt64
  }

  /// What an entry's producer writes to.
  final class EntryStream {
    fileprivate var crc = CRC32()
    fileprivate var sha = SHA256()
    fileprivate var count: UInt64 = 0
    fileprivate var buffer: [UInt8] = []
    fileprivate let file: SequentialOutput

    fileprivate init(file: SequentialOutput) {
      self.file = file
    }

    /// Small pieces (index lines, JSON), gathered into writes of up to 1 MiB.
    func write(_ bytes: [UInt8]) throws {
      crc.update(bytes)
      sha.update(bytes)
      count += UInt64(bytes.count)
      if buffer.count + bytes.count > 1 << 20 { try flush() }
      if bytes.count >= 1 << 20 {
        try file.write(bytes)
      } else {
        if buffer.capacity == 0 { buffer.reserveCapacity(1 << 20) }
        buffer += bytes
      }
    }

    /// A piece read from a store file: hashed where it lies and written as it is (what is
    /// gathered is flushed first), so a WARC's bytes are never copied in memory.
    func writeThrough(_ bytes: [UInt8]) throws {
      crc.update(bytes)
      sha.update(bytes)
      count += UInt64(bytes.count)
      try flush()
      try file.write(bytes)
    }

    fileprivate func flush() throws {
      if !buffer.isEmpty { try file.write(buffer) }
      buffer.removeAll(keepingCapacity: true)
    }
  }

  /// Creates `path` (replacing a file there).
  init(path: String, date: Date = Date()) throws {
    do {
      file = try SequentialOutput(path: path)
    } catch {
      throw ZipWriterError(
        message: "\(path): cannot create the file: \(error.reason) (does its folder exist and is it writable?)")
    }
    self.path = path
    let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
    dosTime = UInt16(((c.hour ?? 0) << 11) | ((c.minute ?? 0) << 5) | ((c.second ?? 0) / 2))
    dosDate = UInt16((max(0, (c.year ?? 1980) - 1980) << 9) | ((c.month ?? 1) << 5) | (c.day ?? 1))
  }

  /// Adds an entry of exactly `size` bytes that `produce` writes.
  /// - Returns: the entry's SHA-256 (hex) and size.
  @discardableResult
  func addEntry(_ name: String, size: UInt64, _ produce: (EntryStream) throws -> Void) throws -> (
    sha256: String, size: UInt64
  ) {
    let nameBytes = Array(name.utf8)
    let zip64 = size >= 0xFFFF_FFFF
    let start = offset
    var header = Bytes()
    header.u32(0x0403_4B50)
    header.u16(zip64 ? 45 : 20)
    header.u16(0x0800)  // UTF-8 names
    header.u16(0)  // stored
    header.u16(dosTime)
    header.u16(dosDate)
    header.u32(0)  // CRC, patched below
    header.u32(zip64 ? 0xFFFF_FFFF : UInt32(size))
    header.u32(zip64 ? 0xFFFF_FFFF : UInt32(size))
    header.u16(UInt16(nameBytes.count))
    header.u16(zip64 ? 20 : 0)
    header.bytes += nameBytes
    if zip64 {
      header.u16(0x0001)
      header.u16(16)
      header.u64(size)
      header.u64(size)
    }
    try file.write(header.bytes)
    let stream = EntryStream(file: file)
    try produce(stream)
    try stream.flush()
    guard stream.count == size else {
      throw ZipWriterError(message: "\(path): entry \(name) has \(stream.count) bytes, \(size) were announced")
    }
    offset += UInt64(header.bytes.count) + size
    var crc = Bytes()
    crc.u32(stream.crc.value)
    try file.overwrite(crc.bytes, at: Int64(start + 14))
    entries.append(Central(name: nameBytes, crc: stream.crc.value, size: size, offset: start))
    var sha = stream.sha
    return (sha.finalize().map { String(format: "%02x", $0) }.joined(), size)
  }

  /// Adds a small entry held in memory.
  @discardableResult
  func addEntry(_ name: String, data: [UInt8]) throws -> (sha256: String, size: UInt64) {
    try addEntry(name, size: UInt64(data.count)) { try $0.write(data) }
  }

  /// Writes the central directory and the end records, and closes the file.
  func finish() throws {
    let directoryStart = offset
    var out = Bytes()
    for e in entries {
      let bigSize = e.size >= 0xFFFF_FFFF
      let bigOffset = e.offset >= 0xFFFF_FFFF
      var extra = Bytes()
      if bigSize || bigOffset {
        extra.u16(0x0001)
        extra.u16(UInt16((bigSize ? 16 : 0) + (bigOffset ? 8 : 0)))
        if bigSize {
          extra.u64(e.size)
          extra.u64(e.size)
        }
        if bigOffset { extra.u64(e.offset) }
      }
      let zip64 = bigSize || bigOffset
      out.u32(0x0201_4B50)
      out.u16(3 << 8 | 45)  // made by: Unix, 4.5
      out.u16(zip64 ? 45 : 20)
      out.u16(0x0800)
      out.u16(0)
      out.u16(dosTime)
      out.u16(dosDate)
      out.u32(e.crc)
      out.u32(bigSize ? 0xFFFF_FFFF : UInt32(e.size))
      out.u32(bigSize ? 0xFFFF_FFFF : UInt32(e.size))
      out.u16(UInt16(e.name.count))
      out.u16(UInt16(extra.bytes.count))
      out.u16(0)  // comment
      out.u16(0)  // disk
      out.u16(0)  // internal attributes
      out.u32(0o100644 << 16)  // regular file, rw-r--r--
      out.u32(bigOffset ? 0xFFFF_FFFF : UInt32(e.offset))
      out.bytes += e.name + extra.bytes
    }
    let directorySize = UInt64(out.bytes.count)
    let zip64End = entries.count >= 0xFFFF || directoryStart >= 0xFFFF_FFFF || directorySize >= 0xFFFF_FFFF
    if zip64End {
      let recordAt = directoryStart + directorySize
      out.u32(0x0606_4B50)
      out.u64(44)
      out.u16(3 << 8 | 45)
      out.u16(45)
      out.u32(0)
      out.u32(0)
      out.u64(UInt64(entries.count))
      out.u64(UInt64(entries.count))
      out.u64(directorySize)
      out.u64(directoryStart)
      out.u32(0x0706_4B50)
      out.u32(0)
      out.u64(recordAt)
      out.u32(1)
    }
    out.u32(0x0605_4B50)
    out.u16(0)
    out.u16(0)
    out.u16(zip64End ? 0xFFFF : UInt16(entries.count))
    out.u16(zip64End ? 0xFFFF : UInt16(entries.count))
    out.u32(zip64End ? 0xFFFF_FFFF : UInt32(directorySize))
    out.u32(zip64End ? 0xFFFF_FFFF : UInt32(directoryStart))
    out.u16(0)
    try file.write(out.bytes)
    try file.close()
  }

  /// Little-endian fields.
  private struct Bytes {
    var bytes: [UInt8] = []
    mutating func u16(_ v: UInt16) { bytes += [UInt8(v & 0xFF), UInt8(v >> 8)] }
    mutating func u32(_ v: UInt32) { for i in 0..<4 { bytes.append(UInt8((v >> (8 * UInt32(i))) & 0xFF)) } }
    mutating func u64(_ v: UInt64) { for i in 0..<8 { bytes.append(UInt8((v >> (8 * UInt64(i))) & 0xFF)) } }
  }
}

struct ZipWriterError: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}
