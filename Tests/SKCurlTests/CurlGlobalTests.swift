import SKCurl
import Testing

@Suite struct CurlLinkTests {
  @Test func libcurlReportsItsVersionAndSpeaksHTTPAndHTTPS() {
    #expect(CurlGlobal.ensureInitialised())
    #expect(CurlGlobal.version.split(separator: ".").count >= 2)
    #expect(CurlGlobal.protocols.contains("http"))
    #expect(CurlGlobal.protocols.contains("https"))
    #expect(CurlGlobal.hasTLS)
  }
}
