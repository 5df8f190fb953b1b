import FuzzDriver

// libFuzzer target: the Markdown digest parser (fuzz/README.md says how to run it).
@testable import SourcekeepCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  _ = try? MarkdownDigestParser.parse(String(decoding: bytes, as: UTF8.self))
  return 0
}

runFuzzer(fuzzOne)
