import Foundation
import Testing

@testable import SourcekeepCore

@Suite struct LinkStateMachineTests {
  let machine = LinkStateMachine(deadAfterFailures: 3, deadAfter: 72 * 3600)
  let t0 = Date(timeIntervalSince1970: 1_771_315_200)
  func hours(_ h: Double) -> Date { t0.addingTimeInterval(h * 3600) }

  @Test func verdictsFollowTheContractTable() {
    #expect(CheckVerdict(status: .ok, httpStatus: 200) == .success)
    #expect(CheckVerdict(status: .redirected, httpStatus: 200) == .success)
    #expect(CheckVerdict(status: .drifted, httpStatus: 200) == .drifted)
    for s in [CheckStatus.gone, .soft404, .serverError, .unreachable] {
      #expect(CheckVerdict(status: s, httpStatus: nil) == .failure)
    }
    #expect(CheckVerdict(status: .forbidden, httpStatus: 451) == .failure)
    #expect(CheckVerdict(status: .forbidden, httpStatus: 403) == .inconclusive)
    #expect(CheckVerdict(status: .forbidden, httpStatus: 401) == .inconclusive)
    for s in [CheckStatus.blocked, .rateLimited, .excluded] {
      #expect(CheckVerdict(status: s, httpStatus: nil) == .inconclusive)
    }
  }

  @Test func deadNeedsEnoughFailuresSpanningEnoughTime() {
    var m = machine.next(.init(), .success, at: t0)
    #expect(m.state == .alive)
    m = machine.next(m, .failure, at: hours(1))
    #expect(m.state == .failing)
    #expect(m.firstFailure == hours(1))
    m = machine.next(m, .failure, at: hours(2))
    m = machine.next(m, .failure, at: hours(3))
    #expect(m.consecutiveFailures == 3)
    #expect(m.state == .failing)  // three failures, but only 2 hours apart
    m = machine.next(m, .failure, at: hours(73))
    #expect(m.state == .dead)
    #expect(m.deadSince == hours(73))
    m = machine.next(m, .failure, at: hours(100))
    #expect(m.deadSince == hours(73))
  }

  @Test func inconclusiveResultsNeitherCountNorReset() {
    var m = machine.next(.init(), .failure, at: t0)
    m = machine.next(m, .inconclusive, at: hours(1))
    #expect(m.consecutiveFailures == 1)
    #expect(m.state == .failing)
    #expect(machine.next(.init(), .inconclusive, at: t0).state == .unknown)
    let alive = machine.next(.init(), .success, at: t0)
    #expect(machine.next(alive, .inconclusive, at: hours(1)) == alive)
  }

  @Test func successBringsAFailingOrDeadLinkBack() {
    var m = machine.next(.init(), .failure, at: t0)
    m = machine.next(m, .failure, at: hours(40))
    m = machine.next(m, .failure, at: hours(80))
    #expect(m.state == .dead)
    m = machine.next(m, .success, at: hours(90))
    #expect(m == .init(state: .alive, consecutiveFailures: 0, firstFailure: nil, deadSince: nil, lastOK: hours(90)))
    m = machine.next(m, .drifted, at: hours(91))
    #expect(m.state == .drifted)
  }
}
