import RPCTransport
import SessionAPI
import SessionSDK

extension ConformanceCatalog {
    /// The session agent: started with the request's token, reachable at the reported
    /// address, its terminals kept across pause and resume.
    static let terminals: [ConformanceCase] = [
        ConformanceCase(
            .terminals, "agent-serves-terminals",
            rule: "a session created with an agent token reports its agent's address; the agent refuses calls without the token and runs a terminal's command for calls with it",
            requires: [.terminals]
        ) { context in
            let (_, running, token) = try await createRunningWithAgent("agent", context)
            try await AgentProbe.with(running, token: nil) { stranger in
                do {
                    _ = try await stranger.agent.listTerminals(.init())
                    throw CaseFailure("the agent at \(stranger.address) answered ListTerminals without the session's token")
                } catch let error as RPCError where error.code == .unauthenticated {}
            }
            try await AgentProbe.with(running, token: token) { probe in
                let status = try await probe.call("GetStatus") { try await probe.agent.getStatus(.init()) }
                try context.expect(status.ide?.ready == true, "the agent does not report the session's command as serving: \(status)")
                _ = try await probe.call("CreateTerminal") {
                    try await probe.agent.createTerminal(.init(name: "conformance", command: []))
                }
                _ = try await probe.attach(
                    "conformance", typing: "echo conformance-$((6 * 7))\r", until: "conformance-42", timeout: context.timeouts.endpoint)
            }
        },
        ConformanceCase(
            .terminals, "terminals-survive-pause",
            rule: "after pause and resume the agent lists the terminal again, running, with its scrollback",
            requires: [.terminals, .pauseResume]
        ) { context in
            let (request, running, token) = try await createRunningWithAgent("terms", context)
            let marker = context.newID("mark")
            try await AgentProbe.with(running, token: token) { probe in
                _ = try await probe.call("CreateTerminal") { try await probe.agent.createTerminal(.init(name: "kept")) }
                _ = try await probe.attach("kept", typing: "echo \(marker)-$((1 + 1))\r", until: "\(marker)-2", timeout: context.timeouts.endpoint)
            }
            try await pause(running.handle, context)
            let resumed = try await resume(running.handle, request, context)
            try await AgentProbe.with(resumed, token: token) { probe in
                let listed = try await probe.call("ListTerminals") { try await probe.agent.listTerminals(.init()) }.terminals
                try context.expect(
                    listed.map(\.name) == ["kept"] && listed[0].running,
                    "after resume the agent lists \(listed.map { "\($0.name) (running: \($0.running))" })")
                _ = try await probe.attach("kept", typing: nil, until: "\(marker)-2", timeout: context.timeouts.endpoint)
            }
        },
        ConformanceCase(
            .terminals, "delete-stops-the-agent",
            rule: "once a session is deleted its agent's address stops accepting connections",
            requires: [.terminals]
        ) { context in
            let (_, running, _) = try await createRunningWithAgent("agentgone", context)
            guard let address = running.connection?.agentAddress, let endpoint = Endpoint(url: "http://\(address)") else {
                throw CaseFailure("session '\(running.handle)' reports no usable agent address")
            }
            try context.expect(endpoint.acceptsConnections(timeout: context.timeouts.endpoint), "the agent at \(endpoint) refuses connections")
            try await context.step("deleting the session") { try await context.provider.deleteSession(running.handle) }
            let closed = try await context.eventually(within: context.timeouts.endpoint) {
                !endpoint.acceptsConnections(timeout: .seconds(1))
            }
            try context.expect(closed, "the agent at \(endpoint) still accepts connections \(context.timeouts.endpoint) after delete")
        },
    ]

    /// Creates a session whose request carries a new agent token and waits until it
    /// is RUNNING.
    static func createRunningWithAgent(
        _ label: String, _ context: CaseContext
    ) async throws -> (request: ProviderSessionRequest, status: ProviderSessionStatus, token: String) {
        var request = try context.request(label)
        let token = "sga-" + context.newID("token")
        request.agentToken = token
        let created = try await context.create(request)
        return (request, try await context.waitFor([.running], created.handle, timeout: context.timeouts.running), token)
    }
}
