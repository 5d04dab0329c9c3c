import Testing

@testable import SessionAgent

struct TerminalControlTests {
    @Test func theLastToAttachControlsAndDisplacesThePrevious() {
        var control = TerminalControl()
        #expect(!control.isAttached)
        let first = control.attach()
        #expect(first.displaced == nil)
        #expect(control.mayControl(first.id))
        let second = control.attach()
        #expect(second.displaced == first.id)
        #expect(!control.mayControl(first.id))
        #expect(control.mayControl(second.id))
    }

    @Test func aDisplacedClientLeavingChangesNothing() {
        var control = TerminalControl()
        let first = control.attach()
        let second = control.attach()
        let firstWasInControl = control.detach(first.id)
        #expect(!firstWasInControl)
        #expect(control.mayControl(second.id))
        let secondWasInControl = control.detach(second.id)
        #expect(secondWasInControl)
        #expect(!control.isAttached)
        #expect(!control.mayControl(second.id))
    }
}
