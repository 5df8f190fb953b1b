import FuzzDriver

// libFuzzer target: the HTML digest parser (fuzz/README.md says how to run it).
@testable import SourcekeepCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  _ = try? HTMLDigestParser.parse(bytes, path: "fuzz.html")
  return 0
}

runFuzzer(fuzzOne)
