import ArgumentParser

/// `--wait` and `--timeout`, for commands that start a change of state.
struct WaitOptions: ParsableArguments {
    @Flag(help: "Wait until the session reaches its goal state, printing each state it passes through.")
    var wait = false

    @Option(help: ArgumentHelp("How long --wait waits before giving up with exit status 4.", valueName: "duration"))
    var timeout = DurationArgument(.seconds(300))

    func validate() throws {
        guard timeout.duration > .zero else { throw ValidationError("--timeout must be more than 0") }
    }
}
