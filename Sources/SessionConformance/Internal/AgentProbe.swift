import Foundation
import RPCTransport
import SessionAPI
import SessionSDK

/// The conformance kit's client of a session agent: what the gateway does with the
/// address a provider reports and the token it handed over, done here directly.
struct AgentProbe: Sendable {
    let address: String
    let client: RPCClient
    let agent: AgentServiceClient

    /// A client of the agent of a RUNNING session's status, with `token`.
    ///
    /// - Throws: a ``CaseFailure`` when the status reports no usable agent address.
    init(_ status: ProviderSessionStatus, token: String?) throws(CaseFailure) {
        guard let address = status.connection?.agentAddress else {
            throw CaseFailure(
                "session '\(status.handle)' is \(status.state) with no agent address, though the request carried an agent token")
        }
        guard let target = RPCClient.Target(address: address) else {
            throw CaseFailure("session '\(status.handle)' reports the agent address '\(address.prefix(200))', which is not HOST:PORT")
        }
        self.address = address
        client = RPCClient(target: target)
        agent = AgentServiceClient(
            client: client, metadata: token.map { ["authorization": .string("Bearer \($0)")] } ?? [:])
    }

    /// Runs `body` with a probe, closing its connection afterwards.
    static func with<Result>(
        _ status: ProviderSessionStatus, token: String?, _ body: (AgentProbe) async throws -> Result
    ) async throws -> Result {
        let probe = try AgentProbe(status, token: token)
        do {
            let result = try await body(probe)
            await probe.client.close()
            return result
        } catch {
            await probe.client.close()
            throw error
        }
    }

    /// Makes a call, turning its failure into a ``CaseFailure`` naming `what`.
    func call<Result>(_ what: String, _ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as RPCError {
            throw CaseFailure("\(what) at the agent (\(address)) failed: \(error.code): \(error.message.prefix(300))")
        }
    }

    /// Attaches to terminal `name`, types `input` (if any), and reads until the output
    /// holds `expected` or `timeout` passes.
    ///
    /// - Returns: the output read.
    /// - Throws: a ``CaseFailure`` when the output never holds `expected`.
    func attach(_ name: String, typing input: String?, until expected: String, timeout: Duration) async throws -> String {
        let output = try await call("AttachTerminal '\(name)'") {
            try await withThrowingTaskGroup(of: String?.self) { group in
                group.addTask {
                    try await agent.attachTerminal { requests, responses in
                        try await requests.write(AgentV1AttachTerminalRequest(kind: .open(.init(name: name))))
                        if let input { try await requests.write(AgentV1AttachTerminalRequest(kind: .input(Array(input.utf8)))) }
                        var seen: [UInt8] = []
                        for try await response in responses {
                            guard case .output(let bytes) = response.kind else { break }
                            seen += bytes
                            if String(decoding: seen, as: UTF8.self).contains(expected) { break }
                        }
                        return String(decoding: seen, as: UTF8.self)
                    }
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                return try await group.next() ?? nil
            }
        }
        guard let output, output.contains(expected) else {
            throw CaseFailure(
                "terminal '\(name)' did not print '\(expected)' within \(timeout); it printed: \(String((output ?? "").suffix(300)).debugDescription)")
        }
        return output
    }
}
