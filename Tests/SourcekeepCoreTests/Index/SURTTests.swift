import Testing

@testable import SourcekeepCore

/// SURT keys as the `surt` package (pywb, cdxj-indexer) makes them; expected values were
/// printed by surt 0.3.1 (`surt.surt(url)`).
@Suite struct SURTTests {
  @Test(arguments: [
    (
      "urn:sourcekeep:extract:https://mp.weixin.qq.com/s/AbC?x=1",
      "urn:sourcekeep:extract:https://mp.weixin.qq.com/s/abc?x=1"
    ),
    ("http://127.0.0.1:8080/s/A.html", "1,0,0,127:8080)/s/a.html"),
    ("https://www.Example.com:443/A/b?z=1&a=2#f", "com,example)/a/b?a=2&z=1"),
    ("https://mp.weixin.qq.com/s?__biz=MzA&mid=22&idx=1&sn=ab#rd", "com,qq,weixin,mp)/s?__biz=mza&idx=1&mid=22&sn=ab"),
    ("http://example.com", "com,example)/"),
    ("http://a.com/%7Efoo/%e4%b8%ad?q=a%20b", "com,a)/~foo/%e4%b8%ad?q=a%20b"),
    ("https://www2.x.org/", "org,x)/"),
    ("http://x.com/?", "com,x)/"),
    ("http://x.com/a?b&a=", "com,x)/a?a=&b"),
  ])
  func keyMatchesTheSurtPackage(url: String, expected: String) {
    #expect(SURT.key(url) == expected)
  }

  @Test func jsonIsSpelledAsPythonsJsonDumps() {
    #expect(IndexedRecord.quoted("a\"b\\c\n中") == "\"a\\\"b\\\\c\\n\\u4e2d\"")
  }
}
