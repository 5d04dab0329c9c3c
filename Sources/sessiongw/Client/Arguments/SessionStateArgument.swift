import ArgumentParser
import SessionAPI

/// A session state named on the command line: `running`, `PAUSED`, `build-failed`;
/// case-insensitive, `-` or `_`.
struct SessionStateArgument: ExpressibleByArgument, Sendable, Equatable {
    /// The state.
    var state: V1SessionState

    /// Parses a state name; nil for anything that is not a state.
    init?(argument: String) {
        guard let state = V1SessionState(name: argument) else { return nil }
        self.state = state
    }

    static var allValueStrings: [String] { V1SessionState.reportable.map { $0.name.lowercased() } }
}
