import FuzzDriver
// libFuzzer target: PageExtractor on an arbitrary body (fuzz/README.md says how to run it).
// The first byte picks the URL and Content-Type, so the WeChat and charset paths are reached.
import SourcekeepCore

enum Pick {
  static let urls = ["https://mp.weixin.qq.com/s/abc", "https://example.com/a/b.html", "http://36kr.com/p/1"]
  static let types: [String?] = [nil, "text/html; charset=utf-8", "text/html; charset=gbk", "application/xhtml+xml"]
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let pick = Int(bytes.first ?? 0)
  let url = Pick.urls[pick % Pick.urls.count]
  _ = try? PageExtractor().extract(
    body: Array(bytes.dropFirst()), url: url, contentType: Pick.types[(pick / 4) % Pick.types.count])
  return 0
}

runFuzzer(fuzzOne)
