@testable import SessionGateway
import SessionSDK
import Testing

@Suite("Usage meter: which intervals a change ends and begins")
struct UsageMeterTests {
    let rates = UsageRates(currency: "USD", compute: 2, storage: 0.5)

    func holding(_ resource: UsageMeter.Resource, _ rate: Double) -> UsageMeter.Holding {
        UsageMeter.Holding(resource: resource, hourlyRate: rate, currency: "USD")
    }

    @Test("compute is held while starting, running and pausing; storage until deletion")
    func holdings() {
        for state in [SessionState.starting, .running, .pausing] {
            #expect(Set(UsageMeter.holdings(state: state, rates: rates, open: []).map(\.resource)) == [.compute, .storage])
        }
        for state in [SessionState.pending, .building, .buildFailed, .paused, .failed] {
            #expect(UsageMeter.holdings(state: state, rates: rates, open: []).map(\.resource) == [.storage])
        }
        #expect(UsageMeter.holdings(state: nil, rates: rates, open: [holding(.compute, 2), holding(.storage, 0.5)]).isEmpty)
    }

    @Test("UNKNOWN and DELETING keep compute as it was")
    func unknownKeepsCompute() {
        let held = [holding(.compute, 2), holding(.storage, 0.5)]
        for state in [SessionState.unknown, .deleting] {
            #expect(Set(UsageMeter.holdings(state: state, rates: rates, open: held).map(\.resource)) == [.compute, .storage])
            #expect(UsageMeter.holdings(state: state, rates: rates, open: [holding(.storage, 0.5)]).map(\.resource) == [.storage])
        }
    }

    @Test("the actions end what is no longer held or changed rate, and begin what is new")
    func actions() {
        let running = [holding(.storage, 0.5), holding(.compute, 2)]
        #expect(UsageMeter.actions(open: running, wanted: running) == .init())
        #expect(UsageMeter.actions(open: running, wanted: [holding(.storage, 0.5)]) == .init(end: [.compute]))
        #expect(UsageMeter.actions(open: [holding(.storage, 0.5)], wanted: running) == .init(begin: [holding(.compute, 2)]))
        #expect(
            UsageMeter.actions(open: running, wanted: [holding(.storage, 0.5), holding(.compute, 3)])
                == .init(end: [.compute], begin: [holding(.compute, 3)]))
        #expect(UsageMeter.actions(open: running, wanted: []) == .init(end: [.compute, .storage]))
    }
}
