// libFuzzer target: the WARC reader and torn-tail recovery (fuzz/README.md says how to run it).
// The input is a .warc.gz file: it is written to a temporary file, walked member by member
// as `verify` and the writer's recovery do, and each member's bytes parsed as a record.
import Foundation
import SourcekeepCore
import FuzzDriver

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let path = NSTemporaryDirectory() + "sourcekeep-fuzz-warc-\(getpid()).warc.gz"
  _ = try? WARCRecord.parse(bytes)
  guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { return 0 }
  _ = WARCFile.walk(path, resync: true) { _ in }
  let scan = WARCFile.scan(path)
  for (_, offset, _) in scan.records.prefix(4) { _ = try? WARCFile.record(at: offset, in: path) }
  _ = try? WARCFile.record(at: 0, in: path)
  return 0
}

runFuzzer(fuzzOne)
