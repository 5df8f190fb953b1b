import FuzzDriver
// libFuzzer target: the config loader, i.e. sourcekeep's own TOML reader (Config/TOML) and the
// key checks, on raw bytes and on the same bytes decoded as UTF-8 (fuzz/README.md says how to
// run it).
import SourcekeepCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  _ = try? ConfigLoader.parse(bytes: bytes, file: "/fuzz/sourcekeep.toml")
  _ = try? ConfigLoader.parse(String(decoding: bytes, as: UTF8.self), file: "/fuzz/sourcekeep.toml")
  return 0
}

runFuzzer(fuzzOne)
