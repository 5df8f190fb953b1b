import FuzzDriver
// libFuzzer target: the HTTP head parser (fuzz/README.md says how to run it).
import SourcekeepCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  if let head = HTTPMessageHead(bytes) {
    _ = head.statusCode
    _ = head.value("Location")
    // What is archived must parse back to the same fields.
    let stored = head.forStoredBody(length: 42)
    _ = HTTPMessageHead(stored.bytes)
  }
  return 0
}

runFuzzer(fuzzOne)
