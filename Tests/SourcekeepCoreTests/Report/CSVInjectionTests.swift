import Testing

@testable import SourcekeepCore

@Suite struct CSVInjectionTests {
  @Test func cellsThatAFormulaCouldStartAreDefused() {
    #expect(CSVReport.field("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"")
    #expect(CSVReport.field("@SUM(A1)") == "'@SUM(A1)")
    #expect(CSVReport.field("-1") == "-1")
    #expect(CSVReport.field("https://mp.weixin.qq.com/s/x") == "https://mp.weixin.qq.com/s/x")
    #expect(CSVReport.field("千问3.5发布") == "千问3.5发布")
  }
}
