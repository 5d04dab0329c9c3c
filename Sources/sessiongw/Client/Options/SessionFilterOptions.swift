import ArgumentParser
import SessionAPI

/// Which sessions `session list` and `session watch` are about.
struct SessionFilterOptions: ParsableArguments {
    @Option(name: .customLong("state"), help: ArgumentHelp(
        "Only sessions in this state (running, paused, failed, ...); repeat for any of several.", valueName: "state"))
    var states: [SessionStateArgument] = []

    @Option(name: .customLong("label"), help: ArgumentHelp(
        "Only sessions with this label; repeat to require several.", valueName: "key=value"))
    var labels: [KeyValueArgument] = []

    @Option(help: ArgumentHelp("Only sessions created by this owner.", valueName: "owner"))
    var owner: String?

    @Option(help: ArgumentHelp("Only sessions on compute environments of this backend kind.", valueName: "kind"))
    var backend: String?

    /// The filter for the request; nil when no condition is given.
    func filter() throws -> V1SessionFilter? {
        let filter = V1SessionFilter(
            states: states.map(\.state),
            backend: backend ?? "",
            labels: try KeyValueArgument.dictionary(labels, option: "--label"),
            owner: owner ?? "")
        return filter == V1SessionFilter() ? nil : filter
    }
}
