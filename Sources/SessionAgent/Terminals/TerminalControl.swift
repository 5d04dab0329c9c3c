/// Who controls a terminal: the last client to attach, alone. A pure state machine; the
/// ``TerminalHost`` ends the displaced client's stream.
///
/// ```swift
/// var control = TerminalControl()
/// let first = control.attach()          // (id: 1, displaced: nil)
/// let second = control.attach()         // (id: 2, displaced: 1): tell client 1 why
/// control.mayControl(first.id)          // false: its input is ignored
/// ```
struct TerminalControl: Hashable, Sendable {
    /// The attachment in control, if a client is attached.
    private(set) var controller: UInt64?
    private var lastID: UInt64 = 0

    /// A new attachment, which takes control; `displaced` is the one that had it.
    mutating func attach() -> (id: UInt64, displaced: UInt64?) {
        lastID += 1
        let displaced = controller
        controller = lastID
        return (lastID, displaced)
    }

    /// The attachment `id` has gone; returns whether it was in control (then nobody is).
    @discardableResult
    mutating func detach(_ id: UInt64) -> Bool {
        guard controller == id else { return false }
        controller = nil
        return true
    }

    /// Whether `id`'s input, window size and signals reach the terminal.
    func mayControl(_ id: UInt64) -> Bool {
        controller == id
    }

    /// Whether a client is attached.
    var isAttached: Bool { controller != nil }
}
