import SessionAPI

extension WaitOptions {
    /// Prints the session a request returned, after waiting for `goal` with `--wait`:
    /// progress lines go to standard output for a table and to standard error for
    /// JSON, so that standard output stays one JSON document.
    ///
    /// - Throws: what ``SessionWaiter/wait(from:)`` throws.
    func report(
        _ session: V1Session, goal: SessionWaitTracker.Goal, gateway: GatewayClient, output: OutputOptions
    ) async throws {
        var final: V1Session? = session
        if wait {
            final = try await waiter(goal: goal, gateway: gateway, output: output).wait(from: session)
        }
        guard let final else { return }
        // What the gateway warns of (a DEPRECATED image) goes to stderr, past scripts reading stdout.
        for warning in final.warnings { Console.error("warning: \(warning)") }
        output.print(final) { SessionView.table([final], now: output.now).rendered() }
    }

    /// A waiter for `goal` with this `--timeout`, reporting as ``report(_:goal:gateway:output:)`` does.
    func waiter(goal: SessionWaitTracker.Goal, gateway: GatewayClient, output: OutputOptions) -> SessionWaiter {
        SessionWaiter(gateway: gateway, goal: goal, timeout: timeout.duration) { line in
            output.output == .json ? Console.error(line) : Console.out(line)
        }
    }
}
