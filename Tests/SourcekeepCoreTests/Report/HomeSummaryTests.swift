import Testing

@testable import SourcekeepCore

/// The web view's front page reads bounded SQL (`Catalog.homeSummary`) instead of the whole report
/// model; its figures must be the model's, cut at the limits.
@Suite struct HomeSummaryTests {
  @Test func figuresEqualTheReportModelsAtEveryLimit() throws {
    let fixture = try ReportFixture()
    let model = try fixture.model(ReportFilter())
    let rot = RotCurve(model)
    let newestFirst = rot.digests.sorted { ($0.date, $0.digest) > ($1.date, $1.digest) }
    #expect(newestFirst.count >= 2, "the fixture needs digests to cut")
    #expect(model.attention.count >= 3, "the fixture needs links to cut")
    for (digestLimit, attentionLimit) in [(100, 200), (1, 2), (2, 1), (0, 0)] {
      let home = try fixture.catalog.homeSummary(digestLimit: digestLimit, attentionLimit: attentionLimit)
      #expect(home.digests == model.digests.count)
      #expect(home.entries == model.entries)
      #expect(home.citations == model.citationCount)
      #expect(home.links == model.links.count)
      #expect(home.byState.map(\.0) == model.byState.map(\.0))
      #expect(home.byState.map(\.1) == model.byState.map(\.1))
      #expect(home.attentionTotal == model.attention.count)
      let digests = home.newestDigests.map { [$0.digest, $0.date, "\($0.links)", "\($0.checked)", "\($0.alive)"] }
      let expected = newestFirst.prefix(digestLimit).map {
        [$0.digest, $0.date, "\($0.links)", "\($0.checked)", "\($0.alive)"]
      }
      #expect(digests == Array(expected), "digest limit \(digestLimit)")
      #expect(home.attention.map(\.url) == model.attention.prefix(attentionLimit).map(\.url))
      #expect(home.attention.map(\.state) == model.attention.prefix(attentionLimit).map(\.state))
    }
  }
}
