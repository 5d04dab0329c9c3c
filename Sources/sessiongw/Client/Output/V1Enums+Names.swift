import RPCTransport
import SessionAPI

extension ProtoEnum {
    /// The name the client prints and accepts for a value of one of the API's enums: the
    /// `.proto` value name without its type prefix (`SESSION_STATE_RUNNING` → `RUNNING`),
    /// or the number of a value this version does not know.
    var name: String { shortName }
}

extension V1SessionState {
    /// Every state a session can report, in lifecycle order.
    static let reportable: [V1SessionState] = [
        .pending, .building, .buildFailed, .starting, .running, .pausing, .paused, .failed, .deleting, .unknown,
    ]

    /// The state a name stands for: case-insensitive, `-` for `_` allowed
    /// (`build-failed`); nil for anything else.
    init?(name: String) {
        let normalized = String(name.uppercased().map { $0 == "-" ? "_" : $0 })
        guard let state = Self.reportable.first(where: { $0.name == normalized }) else { return nil }
        self = state
    }
}
