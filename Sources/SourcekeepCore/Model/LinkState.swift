/// The state of a link across checks (docs/design.md#link-state, a contract).
public enum LinkState: String, Codable, CaseIterable, Sendable, Comparable {
  /// Never checked.
  case pending
  /// The last conclusive result was ok or redirected.
  case alive
  /// Reachable, but the text no longer matches the first snapshot.
  case drifted
  /// Failures, not yet confirmed.
  case failing
  /// At least `dead_after_failures` consecutive failures, the first at least `dead_after` ago.
  case dead
  /// No conclusive result yet.
  case unknown

  public static func < (lhs: LinkState, rhs: LinkState) -> Bool {
    allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
  }
}
