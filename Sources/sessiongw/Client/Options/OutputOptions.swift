import ArgumentParser

/// How a command prints its result: shared by every client command.
struct OutputOptions: ParsableArguments {
    /// The forms a result can take.
    enum Format: String, ExpressibleByArgument, CaseIterable, Sendable {
        /// Aligned columns, for people.
        case table
        /// One JSON document (for `session watch`, one JSON object per line), for scripts.
        case json
    }

    @Option(name: [.short, .long], help: ArgumentHelp(
        "table (for people) or json (for scripts: one document per command; for watch, one object per line).",
        valueName: "format"))
    var output: Format = .table
}
