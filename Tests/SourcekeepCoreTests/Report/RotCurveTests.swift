import Foundation
import Testing

@testable import SourcekeepCore

/// The survival curve over the fixture catalog: ages count from the first digest date, and
/// only checked links (alive, drifted, failing, dead) enter the shares.
@Suite struct RotCurveTests {
  @Test func survivalCountsCheckedLinksCitedAtLeastThatLongAgo() throws {
    let rot = RotCurve(try ReportFixture().model())
    #expect(rot.buckets.map(\.label) == ["0–1 d", "1–3 d", "3–7 d", "7–14 d", "14–30 d", "30+ d"])
    // 2026-02-17 links are 1.5 days old, 2026-02-10 ones 8.5, 2026-01-10 ones 39.5.
    #expect(rot.buckets.map(\.links) == [0, 3, 0, 2, 0, 2])
    #expect(rot.buckets.map(\.alive) == [0, 1, 0, 1, 0, 1])
    #expect(rot.buckets.map(\.linksAtLeast) == [7, 7, 4, 4, 2, 2])
    #expect(rot.buckets.map(\.aliveAtLeast) == [3, 3, 2, 2, 1, 1])
    #expect(RotCurve.percent(rot.buckets[2].survival) == "50%")
  }

  @Test func aLinkCitedTwiceAgesFromItsFirstCitation() throws {
    let model = try ReportFixture().model()
    let rot = RotCurve(model)
    // old-alive and old-dead are cited on 2026-01-10 and 2026-02-17: each counts once, in 30+ d.
    #expect(rot.buckets.last?.alive == 1)
    let perDigest = Dictionary(uniqueKeysWithValues: rot.digests.map { ($0.date, $0) })
    #expect(perDigest["2026-02-17"]?.links == 7)
    #expect(perDigest["2026-02-17"]?.checked == 5)
    #expect(perDigest["2026-02-17"]?.alive == 2)
    #expect(perDigest["2026-01-10"]?.share == 0.5)
  }

  @Test func noCheckedLinksGivesNoShareInsteadOfZero() throws {
    let model = try ReportFixture().model(ReportFilter(states: [.pending]))
    let rot = RotCurve(model)
    #expect(rot.buckets.allSatisfy { $0.survival == nil })
    #expect(RotCurve.percent(nil) == "–")
  }
}
