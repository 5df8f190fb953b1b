import SKCurl
import Testing

@Suite struct CurlEngineTests {
  @Test func libcurlLinksWithHTTPAndTLS() {
    #expect(CurlGlobal.ensureInitialised())
    #expect(!CurlGlobal.version.isEmpty)
    #expect(CurlGlobal.protocols.contains("http"))
    #expect(CurlGlobal.protocols.contains("https"))
    #expect(CurlGlobal.hasTLS)
  }

  @Test func unresolvableNameIsAResolveError() async throws {
    let engine = try CurlEngine()
    let out = await engine.perform(TransferSpec(url: "http://nothing.invalid/", userAgent: "test"))
    await engine.shutdown()
    #expect(out.error?.code == .resolve)
    #expect(out.error?.url == "http://nothing.invalid/")
    #expect(out.httpStatus == 0)
  }

  @Test func refusedAddressOpensNoSocket() async throws {
    let engine = try CurlEngine()
    let out = await engine.perform(
      TransferSpec(url: "http://127.0.0.1:9/", userAgent: "test", admitAddress: { _ in false }))
    await engine.shutdown()
    #expect(out.error?.code == .addressRefused)
    #expect(out.refusedAddresses == [[127, 0, 0, 1]])
    #expect(out.error?.remedy.contains("private_allowlist") == true)
  }

  @Test func nonHTTPSchemeIsAProtocolError() async throws {
    let engine = try CurlEngine()
    let out = await engine.perform(
      TransferSpec(url: "ftp://127.0.0.1/", userAgent: "test", admitAddress: { _ in false }))
    await engine.shutdown()
    #expect(out.error?.code == .protocolError)
  }

  @Test func shutdownIsIdempotentAndLaterTransfersAbort() async throws {
    let engine = try CurlEngine()
    await engine.shutdown()
    await engine.shutdown()
    let out = await engine.perform(TransferSpec(url: "http://127.0.0.1:9/", userAgent: "test"))
    #expect(out.error?.code == .aborted)
  }
}
