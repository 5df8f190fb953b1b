// libFuzzer target: the WARC reader and torn-tail recovery (fuzz/README.md says how to run it).
// The input is a .warc.gz file: it is written to a temporary file, walked member by member
// as `verify` and the writer's recovery do, and each member's bytes parsed as a record. Then
// it becomes the newest file of a store and a writer appends to it: after the recovery cut and
// the append, the file must read back clean from its first record to its end.
import Foundation
import FuzzDriver
import SourcekeepCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  // On /dev/shm (tmpfs) when there is one: the writer fsyncs on every append.
  let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm/" : NSTemporaryDirectory()
  let root = base + "sourcekeep-fuzz-warc-\(getpid())"
  let layout = StoreLayout(root: root)
  let path = layout.warcDirectory + "/sourcekeep-20260217080000-00001.warc.gz"
  try? FileManager.default.removeItem(atPath: root)
  try? FileManager.default.createDirectory(atPath: layout.warcDirectory, withIntermediateDirectories: true)
  _ = try? WARCRecord.parse(bytes)
  guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { return 0 }
  _ = WARCFile.walk(path, resync: true) { _ in }
  let scan = WARCFile.scan(path)
  for (_, offset, _) in scan.records.prefix(4) { _ = try? WARCFile.record(at: offset, in: path) }
  // Recovery: a file that starts with a warcinfo is continued by the writer (others make it
  // start a new file, which costs a host name lookup per input and tests nothing here).
  guard (try? WARCFile.record(at: 0, in: path))?.0.type == .warcinfo else { return 0 }
  let writer = WARCWriter(layout: layout)
  let record = WARCRecord(
    headers: [("WARC-Type", "resource"), ("WARC-Record-ID", "<urn:uuid:1>"), ("Content-Length", "2")],
    block: Array("ok".utf8))
  guard let location = try? writer.write([record]).first else { return 0 }
  let written = root + "/" + location.file
  let after = WARCFile.scan(written)
  guard after.problem == nil, after.records.last?.offset == location.offset else {
    fatalError("after recovery and one append \(location.file) does not read back: \(after.problem ?? "")")
  }
  return 0
}

runFuzzer(fuzzOne)
