import Testing

@testable import SourcekeepCore

@Suite struct RedirectJudgementTests {
  @Test func schemeWwwAndTrailingSlashAreTheSamePage() {
    #expect(RedirectJudgement(requested: "http://example.com/a", final: "https://example.com/a") == .same)
    #expect(RedirectJudgement(requested: "https://example.com/a", final: "https://www.example.com/a/") == .same)
    #expect(RedirectJudgement(requested: "https://www.Example.com/a?x=1", final: "https://example.com/a/?x=1") == .same)
  }

  @Test func aDifferentPathOrQueryIsAMove() {
    #expect(RedirectJudgement(requested: "https://example.com/a", final: "https://example.com/b") == .moved)
    #expect(RedirectJudgement(requested: "https://example.com/a?id=1", final: "https://example.com/a?id=2") == .moved)
    #expect(RedirectJudgement(requested: "https://example.com/", final: "https://other.example/") == .moved)
  }

  @Test func aDeepLinkLandingOnTheHomePageIsRedirectToHome() {
    #expect(
      RedirectJudgement(requested: "https://news.example/2026/02/story.html", final: "https://news.example/") == .toHome
    )
    #expect(
      RedirectJudgement(requested: "https://news.example/p/1", final: "https://www.news.example/index.html") == .toHome)
    #expect(
      RedirectJudgement(requested: "https://news.example/p/1", final: "https://news.example/?from=404") == .toHome)
  }
}
